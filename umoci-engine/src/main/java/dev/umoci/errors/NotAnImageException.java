package dev.umoci.errors;

/**
 * A manifest is an artifact (image-spec 1.1: its config is the empty descriptor or another
 * non-image media type), so there is no image config to unpack, change or repack.
 */
public class NotAnImageException extends InvalidImageException {
  public NotAnImageException(String message) {
    super(message);
  }
}
