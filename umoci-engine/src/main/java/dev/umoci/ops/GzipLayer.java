package dev.umoci.ops;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.layer.Compression;
import dev.umoci.mutate.ImageMutator;
import dev.umoci.mutate.LayerBlob;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The gzip form of a layer stored as a plain tar, for an image that should not carry it
 * uncompressed (a push, a base imported from a docker archive). The plain layer's digest is its
 * {@code diff_id}, so the image's config stays as it is; the bytes are checked against it while
 * they are compressed.
 */
final class GzipLayer {
  private GzipLayer() {}

  /** Whether {@code mediaType} is a distributable layer stored as a plain tar (OCI or Docker). */
  static boolean isPlain(String mediaType) {
    return mediaType.equals(MediaTypes.LAYER_TAR) || mediaType.equals(MediaTypes.DOCKER_LAYER_TAR);
  }

  /**
   * Writes the gzip form of {@code plain} (a layer of {@code from}, {@link #isPlain}) to {@code
   * to}; the descriptor has the gzip media type of the same family (OCI or Docker).
   *
   * @throws InvalidImageException when the layer's bytes do not match its digest
   */
  static Descriptor compress(OciLayout from, Descriptor plain, OciLayout to) throws IOException {
    Path file = from.blobPath(plain.digest());
    LayerBlob gzip =
        ImageMutator.writeLayer(
            to,
            out -> {
              try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(out);
              }
            },
            Compression.GZIP);
    if (!gzip.diffId().equals(plain.digest())) {
      throw new InvalidImageException(
          "layout " + from.root() + ": blob " + plain.digest() + " does not match its digest");
    }
    String type =
        plain.mediaType().equals(MediaTypes.DOCKER_LAYER_TAR)
            ? MediaTypes.DOCKER_LAYER_TAR_GZIP
            : MediaTypes.LAYER_TAR_GZIP;
    return Descriptor.of(type, gzip.descriptor().digest(), gzip.descriptor().size());
  }
}
