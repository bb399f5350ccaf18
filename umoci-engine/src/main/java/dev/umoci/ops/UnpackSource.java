package dev.umoci.ops;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.layer.Compression;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.RootFs;
import java.io.IOException;

/**
 * The image an unpack reads: the descriptor walk from the tag to the manifest, the manifest and its
 * config, read verified and checked before anything is written.
 */
record UnpackSource(DescriptorPath path, Manifest manifest, Image config) {
  static final String DOCKER_HINT =
      " (Docker media types are not supported; convert with skopeo copy first)";

  /**
   * Resolves {@code tag} to one image manifest and reads its config, which must be an OCI image
   * config.
   */
  static UnpackSource resolve(OciLayout layout, ImageRef image) throws IOException {
    String tag = image.tag();
    Descriptor top = References.resolve(layout, tag);
    if (isDocker(top.mediaType())) {
      throw new InvalidImageException(
          "tag \""
              + tag
              + "\" points to "
              + top.mediaType()
              + " "
              + top.digest()
              + ", not an OCI image"
              + DOCKER_HINT);
    }
    DescriptorPath path = image.resolveManifest(layout);
    Manifest manifest = ImageBlobs.manifest(layout, path.descriptor());
    Descriptor config = manifest.config();
    if (isDocker(config.mediaType())) {
      throw new InvalidImageException(
          "manifest "
              + path.descriptor().digest()
              + ": config blob "
              + config.digest()
              + " has media type "
              + config.mediaType()
              + ", expected "
              + MediaTypes.IMAGE_CONFIG
              + DOCKER_HINT);
    }
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

  private static boolean isDocker(String mediaType) {
    return mediaType != null && mediaType.startsWith("application/vnd.docker.");
  }

  private static String quote(String s) {
    return s == null ? "(none)" : '"' + s + '"';
  }
}
