package dev.umoci.errors;

/** More than one top-level index entry carries the requested tag. */
public class AmbiguousReferenceException extends UmociException {
  public AmbiguousReferenceException(String message) {
    super(message);
  }

  public AmbiguousReferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
