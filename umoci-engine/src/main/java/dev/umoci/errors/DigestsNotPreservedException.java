package dev.umoci.errors;

/**
 * Digests were to be preserved (skopeo's {@code --preserve-digests}), but the destination can only
 * take the image converted, with new manifest digests: a Docker schema 2 manifest or list copied
 * into an OCI layout.
 */
public class DigestsNotPreservedException extends InvalidArgumentException {
  public DigestsNotPreservedException(String message) {
    super(message);
  }
}
