package dev.umoci.errors;

/**
 * A Docker schema 2 manifest cannot be converted to OCI: one of its descriptors has a media type
 * with no OCI equivalent (the message names the type and the manifest).
 */
public class UnconvertibleImageException extends InvalidImageException {
  public UnconvertibleImageException(String message) {
    super(message);
  }
}
