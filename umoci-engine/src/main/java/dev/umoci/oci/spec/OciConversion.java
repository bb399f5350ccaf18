package dev.umoci.oci.spec;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.UnconvertibleImageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Converts Docker schema 2 manifests and manifest lists to OCI ones, as skopeo does when it copies
 * into an OCI layout: only media types change. A manifest becomes an image manifest whose config
 * descriptor has the OCI config type and whose layers have the OCI layer types ({@code
 * ...rootfs.diff.tar.gzip} → {@code ...layer.v1.tar+gzip}, the foreign types → the
 * non-distributable ones, {@code urls} kept); a list becomes an image index with the entries'
 * platforms and annotations kept. Digests, sizes and the blobs they name stay: the config and layer
 * bytes are not touched (unlike skopeo, which re-serialises the config). The converted manifest is
 * new JSON, so its digest differs from the source's.
 */
public final class OciConversion {
  private OciConversion() {}

  /**
   * The OCI image manifest for the Docker schema 2 manifest {@code raw} (of digest {@code digest},
   * for messages). Layers already of an OCI layer type are kept as they are.
   *
   * @throws UnconvertibleImageException naming the media type and the manifest, when the config or
   *     a layer has a type with no OCI equivalent
   */
  public static Manifest manifest(byte[] raw, Digest digest) throws InvalidImageException {
    String what = "manifest " + digest;
    Manifest m = Json.parse(raw, Manifest.class, what);
    if (m.config() == null) {
      throw new InvalidImageException(what + " has no config");
    }
    Descriptor config = m.config();
    if (!MediaTypes.isImageConfig(config.mediaType())) {
      throw unconvertible(what, "config", config);
    }
    List<Descriptor> layers = new ArrayList<>();
    for (Descriptor layer : m.layers()) {
      if (!MediaTypes.isLayer(layer.mediaType())) {
        throw unconvertible(what, "layer", layer);
      }
      layers.add(layer.withMediaType(MediaTypes.ociEquivalent(layer.mediaType())));
    }
    return new Manifest(
        2,
        MediaTypes.IMAGE_MANIFEST,
        null,
        config.withMediaType(MediaTypes.IMAGE_CONFIG),
        layers,
        m.subject(),
        m.annotations());
  }

  /**
   * The OCI image index for the manifest list or index {@code raw}, whose entries named in {@code
   * replaced} (source digest → converted manifest) now point to the converted manifests; the other
   * entries are kept as they are. Platforms and annotations of the entries are kept.
   */
  public static Index index(byte[] raw, Digest digest, Map<Digest, Descriptor> replaced)
      throws InvalidImageException {
    Index index = Json.parse(raw, Index.class, "index " + digest);
    List<Descriptor> entries = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      Descriptor to = replaced.get(entry.digest());
      entries.add(
          to == null
              ? entry
              : new Descriptor(
                  to.mediaType(),
                  to.digest(),
                  to.size(),
                  entry.urls(),
                  entry.annotations(),
                  null,
                  entry.platform(),
                  entry.artifactType()));
    }
    return new Index(
        2,
        MediaTypes.IMAGE_INDEX,
        index.artifactType(),
        entries,
        index.subject(),
        index.annotations());
  }

  private static UnconvertibleImageException unconvertible(String what, String kind, Descriptor d) {
    return new UnconvertibleImageException(
        what
            + ": cannot convert to OCI: "
            + kind
            + " "
            + d.digest()
            + " has media type "
            + (d.mediaType() == null ? "(none)" : d.mediaType())
            + ", which has no OCI equivalent");
  }
}
