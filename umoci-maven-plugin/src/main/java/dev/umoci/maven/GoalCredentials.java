package dev.umoci.maven;

import dev.umoci.registry.CredentialSource;
import dev.umoci.registry.Credentials;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The credentials a goal sends to one registry: a user name and password given to the goal (in the
 * pom, for example from {@code ${env.CI_REGISTRY_PASSWORD}}, or on the command line, as Jib's
 * {@code -Djib.to.auth.username} and {@code -Djib.to.auth.password}), else those of the {@code
 * settings.xml} server named as the registry host ({@link ServerCredentials}), else none here (the
 * engine's own sources then apply: {@code $REGISTRY_AUTH_FILE}, podman's and docker's files).
 */
final class GoalCredentials {
  private GoalCredentials() {}

  /**
   * The user name and password given to a goal: {@code -DPREFIX.username} and {@code
   * -DPREFIX.password} on the command line when either is there (they win over the pom, as the push
   * target's {@code -D} does), else {@code pom} (the goal's parameter, may be null); null when
   * neither says anything. The values are never logged.
   */
  static RegistryAuth given(MavenSession session, RegistryAuth pom, String prefix) {
    String username = session.getUserProperties().getProperty(prefix + ".username");
    String password = session.getUserProperties().getProperty(prefix + ".password");
    if (username != null || password != null) {
      return new RegistryAuth(username, password);
    }
    return pom;
  }

  /**
   * The credentials for {@code registry}: {@code auth}'s when given, else the settings.xml
   * server's.
   *
   * @param auth the goal's user name and password (null, or both empty: none)
   * @param parameters how they are set, for messages, such as {@code <pushAuth>
   *     (-Dumoci.push.username/-Dumoci.push.password)}
   * @throws MojoFailureException when only one of the two is given
   */
  static CredentialSource of(
      RegistryAuth auth,
      String parameters,
      Settings settings,
      SettingsDecrypter decrypter,
      String registry)
      throws MojoFailureException {
    boolean user = auth != null && auth.username != null && !auth.username.isEmpty();
    boolean secret = auth != null && auth.password != null && !auth.password.isEmpty();
    if (user != secret) {
      throw new MojoFailureException(
          parameters
              + ": "
              + (user ? "a user name without a password" : "a password without a user name")
              + " for "
              + registry
              + "; give both, or neither to use settings.xml or the registry auth files");
    }
    if (user) {
      Credentials given = new Credentials(auth.username, auth.password, parameters);
      return () -> given;
    }
    return ServerCredentials.of(settings, decrypter, registry);
  }
}
