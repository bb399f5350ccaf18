package dev.umoci.maven;

import dev.umoci.registry.Credentials;
import org.apache.maven.plugin.MojoFailureException;
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
 */
final class ServerCredentials {
  private ServerCredentials() {}

  /**
   * The credentials of the server {@code registry}, or null when {@code settings} has no such
   * server or it has no user name.
   *
   * @throws MojoFailureException when its password cannot be decrypted
   */
  static Credentials of(Settings settings, SettingsDecrypter decrypter, String registry)
      throws MojoFailureException {
    Server server = settings == null ? null : settings.getServer(registry);
    if (server == null || server.getUsername() == null) {
      return null;
    }
    String source = "settings.xml <server> \"" + registry + "\"";
    SettingsDecryptionResult decrypted =
        decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    if (!decrypted.getProblems().isEmpty()) {
      throw new MojoFailureException(
          source + ": cannot decrypt its password: " + decrypted.getProblems().get(0).getMessage());
    }
    Server plain = decrypted.getServer();
    return new Credentials(
        plain.getUsername(), plain.getPassword() == null ? "" : plain.getPassword(), source);
  }
}
