package dev.umoci.cli;

import dev.umoci.ops.Copy;
import dev.umoci.ops.CopyLocation;
import dev.umoci.registry.RegistryUnreachableException;
import dev.umoci.registry.TlsFailureException;

/**
 * Says, after a failed TLS handshake of {@code copy}, which flag changes it: the side's {@code
 * --*-cert-dir} for a CA certificate or a client certificate, or its {@code --*-tls-verify=false}.
 */
final class TlsAdvice {
  private TlsAdvice() {}

  /**
   * {@code e}, when a {@link TlsFailureException}, with the advice for the side of {@code o} whose
   * registry it names appended; otherwise {@code e}. (Tested here rather than caught by type in the
   * command, whose verification would otherwise load the class at every start.)
   */
  static RegistryUnreachableException apply(RegistryUnreachableException failure, Copy.Options o) {
    if (!(failure instanceof TlsFailureException e)) {
      return failure;
    }
    boolean source = names(o.source(), e.registry());
    boolean destination = names(o.destination(), e.registry());
    String prefix = source == destination ? "--" : source ? "--src-" : "--dest-";
    String verify =
        source == destination
            ? "--src-tls-verify=false/--dest-tls-verify=false"
            : prefix + "tls-verify=false";
    String advice =
        switch (e.kind()) {
          case UNTRUSTED_CERTIFICATE ->
              "; to trust it, give its CA certificate as DIR/NAME.crt with "
                  + prefix
                  + "cert-dir DIR, or skip verification with "
                  + verify;
          case CLIENT_CERTIFICATE ->
              "; give a client certificate as DIR/NAME.cert with its key DIR/NAME.key, with "
                  + prefix
                  + "cert-dir DIR or in ~/.config/containers/certs.d/"
                  + e.registry()
                  + "/";
          case OTHER ->
              "; for a registry on plain HTTP or with a certificate that cannot be verified: "
                  + verify;
        };
    return new TlsFailureException(e.getMessage() + advice, e.registry(), e.kind(), e);
  }

  private static boolean names(CopyLocation location, String registry) {
    return location instanceof CopyLocation.Registry r && r.reference().registry().equals(registry);
  }
}
