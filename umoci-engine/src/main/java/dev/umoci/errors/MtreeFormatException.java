package dev.umoci.errors;

/**
 * An mtree(5) specification cannot be parsed. The message names the file (when known) and the line
 * number of the offending line.
 */
public class MtreeFormatException extends UmociException {
  public MtreeFormatException(String message) {
    super(message);
  }

  public MtreeFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
