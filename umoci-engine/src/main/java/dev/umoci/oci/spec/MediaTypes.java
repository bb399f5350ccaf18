package dev.umoci.oci.spec;

import java.util.Set;

/** The media types of the OCI image-spec that the engine reads and writes. */
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

  /** Every layer media type umoci (and so this engine) can unpack. Docker types are not here. */
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

  public static boolean isLayer(String mediaType) {
    return LAYERS.contains(mediaType);
  }
}
