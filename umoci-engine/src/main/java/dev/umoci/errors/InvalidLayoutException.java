package dev.umoci.errors;

/**
 * The directory is not a valid OCI image layout (missing or malformed oci-layout, index.json or
 * blobs/).
 */
public class InvalidLayoutException extends UmociException {
  public InvalidLayoutException(String message) {
    super(message);
  }

  public InvalidLayoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
