package dev.umoci.errors;

/** A value given by the user (flag, tag name, id map, time) is malformed or not allowed. */
public class InvalidArgumentException extends UmociException {
  public InvalidArgumentException(String message) {
    super(message);
  }

  public InvalidArgumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
