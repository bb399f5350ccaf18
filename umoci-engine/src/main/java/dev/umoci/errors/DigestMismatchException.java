package dev.umoci.errors;

/** A blob's content does not match the digest or size its descriptor promises. */
public class DigestMismatchException extends UmociException {
  public DigestMismatchException(String message) {
    super(message);
  }

  public DigestMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
