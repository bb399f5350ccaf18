package dev.umoci.registry;

/**
 * No HTTP exchange with the registry was possible: the host name does not resolve, the connection
 * is refused or dropped, the TLS handshake fails, or the request timed out.
 */
public class RegistryUnreachableException extends RegistryException {
  public RegistryUnreachableException(String message, boolean retryable, Throwable cause) {
    super(message, 0, retryable, cause);
  }
}
