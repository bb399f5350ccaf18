package dev.umoci.oci.casext;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.NotAnImageException;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import java.io.IOException;

/**
 * Typed, verified reads of the JSON blobs of an image, with the media-type confusion check of
 * CVE-2021-41190: a manifest or index whose own {@code mediaType} disagrees with the descriptor
 * that led to it is refused. Docker schema 2 blobs (a manifest list, a manifest, its config) are
 * read as their OCI equivalents: the shapes are the same, and the descriptors inside keep the media
 * types they have (see {@link MediaTypes#ociEquivalent}).
 */
public final class ImageBlobs {
  private ImageBlobs() {}

  /** Reads the image manifest (OCI or Docker schema 2) {@code descriptor} points to. */
  public static Manifest manifest(OciLayout layout, Descriptor descriptor) throws IOException {
    requireMediaType(descriptor, MediaTypes.IMAGE_MANIFEST);
    byte[] raw = layout.readBlob(descriptor);
    checkEmbeddedMediaType(descriptor, raw);
    Manifest manifest = Json.parse(raw, Manifest.class, "manifest " + descriptor.digest());
    if (manifest.config() == null) {
      throw new InvalidImageException("manifest " + descriptor.digest() + " has no config");
    }
    return manifest;
  }

  /** Reads the image index (OCI, or a Docker manifest list) {@code descriptor} points to. */
  public static Index index(OciLayout layout, Descriptor descriptor) throws IOException {
    requireMediaType(descriptor, MediaTypes.IMAGE_INDEX);
    byte[] raw = layout.readBlob(descriptor);
    checkEmbeddedMediaType(descriptor, raw);
    return Json.parse(raw, Index.class, "index " + descriptor.digest());
  }

  /**
   * Reads the image config of the manifest {@code manifestDescriptor} points to.
   *
   * @throws NotAnImageException when the manifest is an artifact: its config is not an image config
   *     (the empty descriptor, or another media type that is neither OCI's nor Docker's image
   *     config)
   */
  public static Image imageConfig(
      OciLayout layout, Descriptor manifestDescriptor, Manifest manifest) throws IOException {
    String type = manifest.config().mediaType();
    if (!MediaTypes.isImageConfig(type)) {
      throw new NotAnImageException(
          "manifest "
              + manifestDescriptor.digest()
              + " is an artifact, not an image: its config has media type "
              + type
              + ", not "
              + MediaTypes.IMAGE_CONFIG);
    }
    return config(layout, manifest.config());
  }

  /** Reads the image config (OCI or Docker) {@code descriptor} points to. */
  public static Image config(OciLayout layout, Descriptor descriptor) throws IOException {
    requireMediaType(descriptor, MediaTypes.IMAGE_CONFIG);
    return Json.parse(layout.readBlob(descriptor), Image.class, "config " + descriptor.digest());
  }

  /** The raw verified bytes of a JSON blob, for output such as {@code stat --json}. */
  public static JsonNode rawJson(OciLayout layout, Descriptor descriptor) throws IOException {
    return Json.parse(layout.readBlob(descriptor), JsonNode.class, "blob " + descriptor.digest());
  }

  /** Requires {@code expected} or the Docker type that stands for it. */
  private static void requireMediaType(Descriptor d, String expected) throws InvalidImageException {
    if (!expected.equals(MediaTypes.ociEquivalent(d.mediaType()))) {
      throw new InvalidImageException(
          "descriptor "
              + d.digest()
              + " has media type "
              + d.mediaType()
              + ", expected "
              + expected);
    }
  }

  /** Refuses a blob whose embedded {@code mediaType} differs from its descriptor's. */
  static void checkEmbeddedMediaType(Descriptor d, byte[] raw) throws InvalidImageException {
    JsonNode node = Json.parse(raw, JsonNode.class, "blob " + d.digest());
    JsonNode embedded = node.get("mediaType");
    if (embedded != null && !embedded.isNull() && !embedded.asText().equals(d.mediaType())) {
      throw new InvalidImageException(
          "malicious manifest detected: blob "
              + d.digest()
              + " has mediaType "
              + embedded.asText()
              + " but its descriptor says "
              + d.mediaType());
    }
    if (MediaTypes.isManifest(d.mediaType()) && node.has("manifests")) {
      throw new InvalidImageException(
          "malicious manifest detected: manifest "
              + d.digest()
              + " has an index's manifests field");
    }
    if (MediaTypes.isIndex(d.mediaType()) && (node.has("layers") || node.has("config"))) {
      throw new InvalidImageException(
          "malicious manifest detected: index " + d.digest() + " has a manifest's fields");
    }
  }
}
