package dev.umoci.registry;

import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;

/** A manifest or index as the registry served it, verified against its digest. */
public record FetchedManifest(String mediaType, Digest digest, byte[] bytes) {
  /** A descriptor of these bytes. */
  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, bytes.length);
  }
}
