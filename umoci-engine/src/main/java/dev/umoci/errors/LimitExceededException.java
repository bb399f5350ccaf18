package dev.umoci.errors;

/**
 * Untrusted input (a JSON blob, a tar header, a layer's expanded size or entry count) exceeds one
 * of the documented input limits. The message names the limit and how to raise it.
 */
public class LimitExceededException extends InvalidImageException {
  public LimitExceededException(String message) {
    super(message);
  }
}
