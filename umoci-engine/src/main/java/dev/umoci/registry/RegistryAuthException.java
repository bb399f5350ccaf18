package dev.umoci.registry;

/**
 * The registry refused the credentials (401) or the access (403); the message says which credential
 * source was used (never the secret).
 */
public class RegistryAuthException extends RegistryException {
  public RegistryAuthException(String message, int status) {
    super(message, status, false, null);
  }
}
