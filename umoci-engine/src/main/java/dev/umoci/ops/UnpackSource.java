package dev.umoci.ops;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.layer.Compression;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.RootFs;
import java.io.IOException;

/**
 * The image an unpack reads: the descriptor walk from the tag to the manifest, the manifest and its
 * config, read verified and checked before anything is written.
 */
record UnpackSource(DescriptorPath path, Manifest manifest, Image config) {
  /**
   * Resolves {@code tag} to one image manifest and reads its config, which must be an image config
   * (OCI, or Docker's in a Docker schema 2 manifest).
   */
  static UnpackSource resolve(OciLayout layout, ImageRef image) throws IOException {
    DescriptorPath path = image.resolveManifest(layout);
    Manifest manifest = ImageBlobs.manifest(layout, path.descriptor());
    return new UnpackSource(
        path, manifest, ImageBlobs.imageConfig(layout, path.descriptor(), manifest));
  }

  /**
   * Checks what extracting the layers needs: {@code rootfs.type} is {@code layers}, there is one
   * DiffID per layer, and every layer has a media type this engine can decompress.
   */
  void requireLayers() throws InvalidImageException {
    Descriptor configDescriptor = manifest.config();
    RootFs rootfs = config.rootfs();
    String type = rootfs == null ? null : rootfs.type();
    if (!RootFs.TYPE_LAYERS.equals(type)) {
      throw new InvalidImageException(
          "config " + configDescriptor.digest() + ": unsupported rootfs.type: " + quote(type));
    }
    int diffIds = rootfs.diffIds().size();
    int layers = manifest.layers().size();
    if (diffIds != layers) {
      throw new InvalidImageException(
          "manifest "
              + path.descriptor().digest()
              + " has "
              + layers
              + " layers but its config "
              + configDescriptor.digest()
              + " has "
              + diffIds
              + " rootfs.diff_ids");
    }
    for (Descriptor layer : manifest.layers()) {
      try {
        Compression.ofMediaType(layer.mediaType());
      } catch (InvalidImageException e) {
        throw new InvalidImageException("layer " + layer.digest() + ": " + e.getMessage(), e);
      }
    }
  }

  private static String quote(String s) {
    return s == null ? "(none)" : '"' + s + '"';
  }
}
