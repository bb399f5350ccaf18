package dev.umoci.maven;

import dev.umoci.registry.CredentialsNotSentException;
import dev.umoci.registry.RegistryUnreachableException;
import dev.umoci.registry.TlsFailureException;

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

  /**
   * {@code e} with the switch to change appended when it is a TLS failure ({@link
   * TlsFailureException}): for a registry that wants a client certificate, where to put one; else,
   * when {@code allowed} is false, {@code <allowInsecureRegistries>}.
   */
  static RegistryUnreachableException apply(RegistryUnreachableException e, boolean allowed) {
    if (!(e instanceof TlsFailureException tls)) {
      return e;
    }
    String hint;
    if (tls.kind() == TlsFailureException.Kind.CLIENT_CERTIFICATE) {
      hint =
          " (the registry wants a client certificate: put NAME.cert and NAME.key in"
              + " ~/.config/containers/certs.d/"
              + tls.registry()
              + "/, as for skopeo)";
    } else if (!allowed) {
      hint =
          " (for a registry on plain HTTP or with a certificate the JDK does not trust:"
              + " <allowInsecureRegistries>true</allowInsecureRegistries>,"
              + " -Dumoci.allowInsecureRegistries)";
    } else {
      return e;
    }
    return new TlsFailureException(e.getMessage() + hint, tls.registry(), tls.kind(), e);
  }
}
