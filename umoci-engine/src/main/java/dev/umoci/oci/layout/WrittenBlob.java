package dev.umoci.oci.layout;

import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;

/** A blob that is now stored in a layout: its digest and size. */
public record WrittenBlob(Digest digest, long size) {
  /** A descriptor for this blob with the given media type and no annotations. */
  public Descriptor descriptor(String mediaType) {
    return Descriptor.of(mediaType, digest, size);
  }
}
