package dev.umoci.registry;

/**
 * Explicit credentials for one registry that are resolved only when the registry first asks for
 * credentials (a challenge on a request that needs them, a token request), not when the options are
 * built: a source whose reading may fail, such as a Maven {@code settings.xml} password that must
 * be decrypted, then fails only the runs that need it. A registry that never asks never causes a
 * call; an offline run or one served from a cache makes none either.
 */
@FunctionalInterface
public interface CredentialSource {
  /**
   * The credentials; never null. Called when a connection to the registry first needs credentials;
   * what it gives is kept for that connection, a failure is not (a later request asks again).
   *
   * @throws CredentialSourceException when they cannot be had: its message is one line naming the
   *     source and the reason, never a secret
   */
  Credentials credentials() throws CredentialSourceException;

  /** A source of credentials already at hand ({@code --creds}). */
  static CredentialSource of(Credentials credentials) {
    return () -> credentials;
  }
}
