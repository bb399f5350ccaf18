package dev.umoci.errors;

/** A layer entry would write outside the rootfs or is otherwise refused for safety. */
public class UnsafeArchiveEntryException extends UmociException {
  public UnsafeArchiveEntryException(String message) {
    super(message);
  }

  public UnsafeArchiveEntryException(String message, Throwable cause) {
    super(message, cause);
  }
}
