package dev.umoci.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and secret for one registry, with where they came from ({@code --creds}, a file, a
 * helper). The secret never appears in {@link #toString()}, logs or error messages; only {@link
 * #source()} does. A user name of {@code <token>} marks an identity (refresh) token, as docker's
 * credential helpers return it.
 */
public record Credentials(String username, String secret, String source) {
  static final String IDENTITY_TOKEN_USER = "<token>";

  /**
   * Parses {@code user:password} as given to {@code --creds} (the password may contain ':'; an
   * empty password is allowed, as skopeo).
   */
  public static Credentials parse(String userColonPassword, String source)
      throws dev.umoci.errors.InvalidArgumentException {
    int colon = userColonPassword.indexOf(':');
    if (colon <= 0) {
      throw new dev.umoci.errors.InvalidArgumentException(
          "invalid "
              + source
              + ": expected USER:PASSWORD with a non-empty user name (the password may be empty)");
    }
    return new Credentials(
        userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1), source);
  }

  /** Whether the secret is an identity token for the OAuth2 refresh-token grant. */
  public boolean isIdentityToken() {
    return IDENTITY_TOKEN_USER.equals(username);
  }

  /** The value of a Basic {@code Authorization} header. */
  String basicHeader() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "credentials of " + username + " from " + source;
  }
}
