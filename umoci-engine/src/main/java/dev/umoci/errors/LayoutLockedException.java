package dev.umoci.errors;

/** Another process holds the layout's write lock. */
public class LayoutLockedException extends UmociException {
  public LayoutLockedException(String message) {
    super(message);
  }

  public LayoutLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
