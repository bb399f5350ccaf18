package dev.umoci.registry;

/** An image index has no image for the platform asked for. */
public class PlatformNotFoundException extends RegistryException {
  public PlatformNotFoundException(String message) {
    super(message, 0, false, null);
  }
}
