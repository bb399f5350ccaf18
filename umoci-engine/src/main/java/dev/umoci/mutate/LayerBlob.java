package dev.umoci.mutate;

import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;

/**
 * A layer blob stored in a layout but not yet part of any image: its descriptor (media type of the
 * compression, and {@code ci.umo.uncompressed_blob_size} when the sizes differ) and its DiffID, the
 * SHA-256 of the plain tar. {@link ImageMutator#appendLayer} adds it to an image.
 */
public record LayerBlob(Descriptor descriptor, Digest diffId) {}
