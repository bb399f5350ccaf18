package dev.umoci.maven;

import dev.umoci.registry.CredentialSource;
import dev.umoci.registry.CredentialSourceException;
import dev.umoci.registry.Credentials;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Registry credentials from Maven's {@code settings.xml}: the {@code <server>} whose {@code <id>}
 * is the registry host (such as {@code ghcr.io} or {@code localhost:5000}), its password decrypted
 * as Maven decrypts it ({@code mvn --encrypt-password}, {@code settings-security.xml}). The one
 * place every goal that talks to a registry takes them from ({@code push} for the destination,
 * {@code build} for a registry base image); when there is no such server, the engine's own sources
 * ({@code $REGISTRY_AUTH_FILE}, podman's {@code auth.json}, {@code ~/.docker/config.json}) apply.
 *
 * <p>As Maven, which fails on a server's password only when it uses that server, the password is
 * decrypted only when the registry asks for credentials (the engine asks the {@link
 * CredentialSource} at the registry's first challenge): a build that never needs them (offline,
 * from the base-image cache, a registry that does not authenticate) does not fail on it.
 */
final class ServerCredentials {
  private ServerCredentials() {}

  /**
   * The credentials of the server {@code registry}, decrypted when first asked for; or null when
   * {@code settings} has no such server or it has no user name. Nothing is decrypted here.
   */
  static CredentialSource of(Settings settings, SettingsDecrypter decrypter, String registry) {
    Server server = settings == null ? null : settings.getServer(registry);
    if (server == null || server.getUsername() == null) {
      return null;
    }
    return () -> decrypt(server, decrypter, "settings.xml <server> \"" + registry + "\"");
  }

  /**
   * {@code server}'s credentials, its password decrypted.
   *
   * @throws CredentialSourceException when the password cannot be decrypted (the message names the
   *     server and Maven's reason, which does not contain the password)
   */
  private static Credentials decrypt(Server server, SettingsDecrypter decrypter, String source)
      throws CredentialSourceException {
    SettingsDecryptionResult decrypted =
        decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    if (!decrypted.getProblems().isEmpty()) {
      throw new CredentialSourceException(
          source + ": cannot decrypt its password: " + decrypted.getProblems().get(0).getMessage());
    }
    Server plain = decrypted.getServer();
    return new Credentials(
        plain.getUsername(), plain.getPassword() == null ? "" : plain.getPassword(), source);
  }
}
