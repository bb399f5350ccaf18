package dev.umoci.errors;

/**
 * A blob is longer or shorter than its descriptor's size (umoci's {@code verified reader size
 * mismatch}). A kind of {@link DigestMismatchException}: the content is not what was promised.
 */
public class SizeMismatchException extends DigestMismatchException {
  public SizeMismatchException(String message) {
    super(message);
  }
}
