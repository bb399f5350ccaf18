package dev.umoci.registry;

/**
 * The TLS handshake with a registry failed. {@link #kind()} tells why, as far as the handshake
 * says, so that a caller can tell the user what to change; the message names the registry and keeps
 * the JDK's reason short.
 */
public class TlsFailureException extends RegistryUnreachableException {
  /** Why the handshake failed. */
  public enum Kind {
    /** The registry's certificate did not verify (unknown CA, wrong host name, expired). */
    UNTRUSTED_CERTIFICATE,
    /** The registry refused the connection for want of an acceptable client certificate. */
    CLIENT_CERTIFICATE,
    /** Anything else (no TLS on the other side, no common protocol or cipher). */
    OTHER
  }

  private final String registry;
  private final Kind kind;

  public TlsFailureException(String message, String registry, Kind kind, Throwable cause) {
    super(message, false, cause);
    this.registry = registry;
    this.kind = kind;
  }

  /** The registry's name, as in a reference ({@code host[:port]}). */
  public String registry() {
    return registry;
  }

  public Kind kind() {
    return kind;
  }
}
