package dev.umoci.oci.casext;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.ManifestBytes;
import dev.umoci.oci.spec.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The manifests and indexes of an image in a layout, as verified bytes, children before parents:
 * the input of {@link dev.umoci.oci.spec.OciManifests}, which converts an index only after its
 * entries. Index entries that are neither manifests nor indexes are left out (they are blobs to
 * copy, not JSON to convert).
 */
public final class ImageManifests {
  private static final int MAX_DEPTH = 4;

  private ImageManifests() {}

  /**
   * {@code top} and every manifest and index below it, each once, every one after all the entries
   * it lists; empty when {@code top} is neither.
   */
  public static List<ManifestBytes> below(OciLayout layout, Descriptor top) throws IOException {
    List<ManifestBytes> out = new ArrayList<>();
    if (isJson(top)) {
      collect(layout, top, out, new HashSet<>(), 0);
    }
    return out;
  }

  private static void collect(
      OciLayout layout, Descriptor d, List<ManifestBytes> out, Set<String> seen, int depth)
      throws IOException {
    if (!seen.add(d.digest() + " " + d.mediaType())) {
      return;
    }
    if (depth > MAX_DEPTH) {
      throw new InvalidImageException("image indexes nested too deeply at " + d.digest());
    }
    byte[] raw = layout.readBlob(d);
    ImageBlobs.checkEmbeddedMediaType(d, raw);
    if (MediaTypes.isIndex(d.mediaType())) {
      for (Descriptor entry : Json.parse(raw, Index.class, "index " + d.digest()).manifests()) {
        if (entry.digest() == null) {
          throw new InvalidImageException("index " + d.digest() + " has an entry without digest");
        }
        if (isJson(entry)) {
          collect(layout, entry, out, seen, depth + 1);
        }
      }
    }
    out.add(new ManifestBytes(d.mediaType(), d.digest(), raw));
  }

  private static boolean isJson(Descriptor d) {
    return MediaTypes.isIndex(d.mediaType()) || MediaTypes.isManifest(d.mediaType());
  }
}
