package dev.umoci.errors;

/** A runtime bundle is missing or has malformed metadata (umoci.json, mtree, rootfs). */
public class InvalidBundleException extends UmociException {
  public InvalidBundleException(String message) {
    super(message);
  }

  public InvalidBundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
