package dev.umoci.maven;

/**
 * A user name and password for one registry, as Jib's {@code <auth>}: {@code
 * <pushAuth><username>ci</username><password>${env.CI_REGISTRY_PASSWORD}</password></pushAuth>}. An
 * object rather than two string parameters bound to properties: the {@code -D} form of the
 * credentials is read by the goal itself ({@link GoalCredentials#given}), so {@code mvn -X}, which
 * prints every parameter's value, never shows a password given on the command line (one written in
 * the pom it shows with the pom's configuration).
 */
public class RegistryAuth {
  /** The user name. */
  String username;

  /** The password or token. */
  String password;

  public RegistryAuth() {}

  RegistryAuth(String username, String password) {
    this.username = username;
    this.password = password;
  }

  @Override
  public String toString() {
    return "RegistryAuth[username="
        + username
        + ", password="
        + (password == null ? "none" : "****")
        + "]";
  }
}
