package dev.umoci.oci.spec;

import java.util.Map;
import java.util.Set;

/**
 * The media types of the OCI image-spec that the engine reads and writes, and the Docker schema 2
 * types (what {@code docker push} makes and registries serve) that it reads as their OCI
 * equivalents ({@link #ociEquivalent}): a layout written by another tool or by an older version of
 * this one may hold them. New manifests, configs and indexes are always written with OCI types.
 */
public final class MediaTypes {
  private MediaTypes() {}

  public static final String IMAGE_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String IMAGE_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String EMPTY_JSON = "application/vnd.oci.empty.v1+json";
  public static final String LAYOUT_HEADER = "application/vnd.oci.layout.header.v1+json";

  public static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
  public static final String LAYER_TAR_GZIP = LAYER_TAR + "+gzip";
  public static final String LAYER_TAR_ZSTD = LAYER_TAR + "+zstd";
  public static final String LAYER_NONDISTRIBUTABLE_TAR =
      "application/vnd.oci.image.layer.nondistributable.v1.tar";
  public static final String LAYER_NONDISTRIBUTABLE_TAR_GZIP = LAYER_NONDISTRIBUTABLE_TAR + "+gzip";
  public static final String LAYER_NONDISTRIBUTABLE_TAR_ZSTD = LAYER_NONDISTRIBUTABLE_TAR + "+zstd";

  public static final String DOCKER_MANIFEST_V2 =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
  public static final String DOCKER_LAYER_TAR_GZIP = DOCKER_LAYER_TAR + ".gzip";
  public static final String DOCKER_FOREIGN_LAYER_TAR =
      "application/vnd.docker.image.rootfs.foreign.diff.tar";
  public static final String DOCKER_FOREIGN_LAYER_TAR_GZIP = DOCKER_FOREIGN_LAYER_TAR + ".gzip";

  /**
   * Each Docker schema 2 type with an OCI equivalent, and that equivalent (as skopeo maps them).
   */
  private static final Map<String, String> OCI_EQUIVALENTS =
      Map.of(
          DOCKER_MANIFEST_LIST, IMAGE_INDEX,
          DOCKER_MANIFEST_V2, IMAGE_MANIFEST,
          DOCKER_CONFIG, IMAGE_CONFIG,
          DOCKER_LAYER_TAR, LAYER_TAR,
          DOCKER_LAYER_TAR_GZIP, LAYER_TAR_GZIP,
          DOCKER_FOREIGN_LAYER_TAR, LAYER_NONDISTRIBUTABLE_TAR,
          DOCKER_FOREIGN_LAYER_TAR_GZIP, LAYER_NONDISTRIBUTABLE_TAR_GZIP);

  /**
   * Every layer media type umoci can unpack; this engine also reads the Docker layer types (see
   * {@link #isLayer}).
   */
  public static final Set<String> LAYERS =
      Set.of(
          LAYER_TAR,
          LAYER_TAR_GZIP,
          LAYER_TAR_ZSTD,
          LAYER_NONDISTRIBUTABLE_TAR,
          LAYER_NONDISTRIBUTABLE_TAR_GZIP,
          LAYER_NONDISTRIBUTABLE_TAR_ZSTD);

  /** Annotation that names a tag on a top-level index entry. */
  public static final String ANNOTATION_REF_NAME = "org.opencontainers.image.ref.name";

  /** Annotation umoci adds to compressed layer descriptors: the size of the plain tar. */
  public static final String ANNOTATION_UNCOMPRESSED_SIZE = "ci.umo.uncompressed_blob_size";

  /** Whether {@code mediaType} is a layer type this engine can unpack (OCI or Docker). */
  public static boolean isLayer(String mediaType) {
    return mediaType != null && LAYERS.contains(ociEquivalent(mediaType));
  }

  /** Whether {@code mediaType} is an image index: OCI, or a Docker manifest list. */
  public static boolean isIndex(String mediaType) {
    return IMAGE_INDEX.equals(ociEquivalent(mediaType));
  }

  /** Whether {@code mediaType} is an image manifest: OCI, or Docker schema 2. */
  public static boolean isManifest(String mediaType) {
    return IMAGE_MANIFEST.equals(ociEquivalent(mediaType));
  }

  /** Whether {@code mediaType} is an image config: OCI, or Docker's. */
  public static boolean isImageConfig(String mediaType) {
    return IMAGE_CONFIG.equals(ociEquivalent(mediaType));
  }

  /** Whether {@code mediaType} is one of Docker's ({@code application/vnd.docker.*}). */
  public static boolean isDocker(String mediaType) {
    return mediaType != null && mediaType.startsWith("application/vnd.docker.");
  }

  /**
   * The OCI media type a Docker schema 2 type stands for; any other type (OCI, unknown, null) as it
   * is.
   */
  public static String ociEquivalent(String mediaType) {
    return mediaType == null ? null : OCI_EQUIVALENTS.getOrDefault(mediaType, mediaType);
  }
}
