package dev.umoci.errors;

/** An image blob (index, manifest, config, layer) is malformed or violates the image spec. */
public class InvalidImageException extends UmociException {
  public InvalidImageException(String message) {
    super(message);
  }

  public InvalidImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
