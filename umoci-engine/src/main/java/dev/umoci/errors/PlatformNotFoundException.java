package dev.umoci.errors;

/** A tag names an image index that has no manifest for the wanted platform. */
public class PlatformNotFoundException extends ReferenceNotFoundException {
  public PlatformNotFoundException(String message) {
    super(message);
  }
}
