package dev.umoci.errors;

/** No top-level index entry carries the requested tag. */
public class ReferenceNotFoundException extends UmociException {
  public ReferenceNotFoundException(String message) {
    super(message);
  }

  public ReferenceNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
