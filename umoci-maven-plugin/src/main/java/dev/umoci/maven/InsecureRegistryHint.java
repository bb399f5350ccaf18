package dev.umoci.maven;

import dev.umoci.registry.CredentialsNotSentException;
import dev.umoci.registry.RegistryUnreachableException;

/**
 * The hints a goal adds to a registry failure whose switch is not obvious from the engine's
 * message: a failed TLS handshake when insecure registries are not allowed (the usual cause is a
 * registry on plain HTTP or with a self-signed certificate), and credentials not sent over plain
 * HTTP.
 */
final class InsecureRegistryHint {
  private InsecureRegistryHint() {}

  /**
   * {@code e} with the switch that sends credentials over plain HTTP anyway ({@code
   * <sendCredentialsOverHttp>}).
   */
  static CredentialsNotSentException apply(CredentialsNotSentException e) {
    return new CredentialsNotSentException(
        e.getMessage()
            + " (to send them anyway: <sendCredentialsOverHttp>true</sendCredentialsOverHttp>,"
            + " -Dumoci.sendCredentialsOverHttp)");
  }

  /** {@code e} with the hint appended when it is a TLS failure and {@code allowed} is false. */
  static RegistryUnreachableException apply(RegistryUnreachableException e, boolean allowed) {
    if (allowed || e.getMessage() == null || !e.getMessage().contains("TLS handshake failed")) {
      return e;
    }
    return new RegistryUnreachableException(
        e.getMessage()
            + " (for a registry on plain HTTP or with a certificate the JDK does not trust: "
            + "<allowInsecureRegistries>true</allowInsecureRegistries>, "
            + "-Dumoci.allowInsecureRegistries)",
        false,
        e);
  }
}
