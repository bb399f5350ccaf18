package dev.umoci.registry;

import dev.umoci.errors.DigestsNotPreservedException;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.UnconvertibleImageException;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.GoJson;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.OciConversion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manifests of a pull as an OCI layout stores them ({@link OciConversion}): each Docker schema
 * 2 manifest converted to an OCI image manifest, each manifest list to an OCI index, and an OCI
 * index re-serialised when one of its entries was converted; OCI manifests stay as served. The
 * fetched manifests were verified against their digests before; the converted ones are new JSON
 * with new digests.
 *
 * @param manifests what to store, children before parents (as given)
 * @param replaced source digest → converted manifest, for each manifest or index that changed
 */
record OciManifests(List<FetchedManifest> manifests, Map<Digest, Descriptor> replaced) {
  private static final Logger LOG = LoggerFactory.getLogger(OciManifests.class);

  /** {@code d}, or the converted manifest that replaces it. */
  Descriptor map(Descriptor d) {
    return replaced.getOrDefault(d.digest(), d);
  }

  /**
   * Converts {@code fetched} (children before parents).
   *
   * @param preserveDigests refuse, before anything is stored, instead of converting
   * @param where the registry and repository, for messages
   * @throws DigestsNotPreservedException when a conversion is needed and digests are to be kept
   * @throws UnconvertibleImageException when a manifest has a type with no OCI equivalent
   */
  static OciManifests of(List<FetchedManifest> fetched, boolean preserveDigests, String where)
      throws IOException {
    Map<Digest, Descriptor> replaced = new HashMap<>();
    List<FetchedManifest> out = new ArrayList<>();
    for (FetchedManifest m : fetched) {
      byte[] converted = convert(m, replaced, where);
      if (converted == null) {
        out.add(m);
        continue;
      }
      if (preserveDigests) {
        throw new DigestsNotPreservedException(
            where
                + "cannot preserve digests: "
                + (MediaTypes.isIndex(m.mediaType()) ? "index " : "manifest ")
                + m.digest()
                + " is "
                + m.mediaType()
                + ", which an OCI layout stores converted to OCI, with a new digest");
      }
      String type =
          MediaTypes.isIndex(m.mediaType()) ? MediaTypes.IMAGE_INDEX : MediaTypes.IMAGE_MANIFEST;
      FetchedManifest oci = new FetchedManifest(type, Digest.sha256(converted), converted);
      replaced.put(m.digest(), oci.descriptor());
      LOG.debug("{}{} {} stored as OCI {}", where, m.mediaType(), m.digest(), oci.digest());
      out.add(oci);
    }
    return new OciManifests(List.copyOf(out), Map.copyOf(replaced));
  }

  /** The OCI JSON for {@code m}, or null when it is stored as served. */
  private static byte[] convert(FetchedManifest m, Map<Digest, Descriptor> replaced, String where)
      throws IOException {
    try {
      if (MediaTypes.DOCKER_MANIFEST_V2.equals(m.mediaType())) {
        return GoJson.encode(OciConversion.manifest(m.bytes(), m.digest()));
      }
      if (MediaTypes.isIndex(m.mediaType())) {
        boolean changed = MediaTypes.DOCKER_MANIFEST_LIST.equals(m.mediaType());
        for (Descriptor entry :
            Json.parse(m.bytes(), Index.class, "index " + m.digest()).manifests()) {
          changed |= replaced.containsKey(entry.digest());
        }
        return changed ? GoJson.encode(OciConversion.index(m.bytes(), m.digest(), replaced)) : null;
      }
      return null;
    } catch (UnconvertibleImageException e) {
      throw new UnconvertibleImageException(where + e.getMessage());
    } catch (InvalidImageException e) {
      throw new InvalidImageException(where + e.getMessage(), e);
    }
  }
}
