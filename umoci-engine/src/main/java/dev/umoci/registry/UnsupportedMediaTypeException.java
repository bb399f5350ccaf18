package dev.umoci.registry;

/**
 * The registry served a manifest of a kind this client does not handle (Docker schema 1, an unknown
 * type), or refused one we sent.
 */
public class UnsupportedMediaTypeException extends RegistryException {
  public UnsupportedMediaTypeException(String message) {
    super(message, 0, false, null);
  }
}
