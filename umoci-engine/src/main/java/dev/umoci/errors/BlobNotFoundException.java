package dev.umoci.errors;

/** A descriptor names a blob that is not in the layout. */
public class BlobNotFoundException extends UmociException {
  public BlobNotFoundException(String message) {
    super(message);
  }

  public BlobNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
