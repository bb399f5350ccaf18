package dev.umoci.oci.spec;

import dev.umoci.errors.DigestsNotPreservedException;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.UnconvertibleImageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifests of an image as an OCI layout stores them ({@link OciConversion}): each Docker
 * schema 2 manifest converted to an OCI image manifest, each manifest list to an OCI index, and an
 * OCI index re-serialised when one of its entries was converted; OCI manifests stay as they are.
 * One conversion for every copy into a layout, from a registry or from another layout. The source
 * manifests were verified against their digests before; the converted ones are new JSON with new
 * digests.
 *
 * @param manifests what to store, children before parents (as given)
 * @param replaced source digest → converted manifest, for each manifest or index that changed
 */
public record OciManifests(List<ManifestBytes> manifests, Map<Digest, Descriptor> replaced) {
  /** {@code d}, or the converted manifest that replaces it. */
  public Descriptor map(Descriptor d) {
    return replaced.getOrDefault(d.digest(), d);
  }

  /** Whether anything was converted. */
  public boolean converted() {
    return !replaced.isEmpty();
  }

  /**
   * Converts {@code source} (children before parents), before anything is stored.
   *
   * @param preserveDigests refuse instead of converting
   * @param where the source (a registry and repository, a layout), for messages: {@code "...: "}
   * @throws DigestsNotPreservedException when a conversion is needed and digests are to be kept
   * @throws UnconvertibleImageException when a manifest has a type with no OCI equivalent
   */
  public static OciManifests of(List<ManifestBytes> source, boolean preserveDigests, String where)
      throws IOException {
    Map<Digest, Descriptor> replaced = new HashMap<>();
    List<ManifestBytes> out = new ArrayList<>();
    for (ManifestBytes m : source) {
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
      ManifestBytes oci = new ManifestBytes(type, Digest.sha256(converted), converted);
      replaced.put(m.digest(), oci.descriptor());
      out.add(oci);
    }
    return new OciManifests(List.copyOf(out), Map.copyOf(replaced));
  }

  /** The OCI JSON for {@code m}, or null when it is stored as it is. */
  private static byte[] convert(ManifestBytes m, Map<Digest, Descriptor> replaced, String where)
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
