package dev.umoci.oci.spec;

/**
 * A manifest or index as bytes, with the media type and digest that name it (verified against them
 * by whoever read it: a registry client, a layout).
 */
public record ManifestBytes(String mediaType, Digest digest, byte[] bytes) {
  /** A descriptor of these bytes. */
  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, bytes.length);
  }
}
