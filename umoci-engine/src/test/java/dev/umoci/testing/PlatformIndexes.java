package dev.umoci.testing;

import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Multi-platform test images: an OCI index over manifests already in a layout. */
public final class PlatformIndexes {
  private PlatformIndexes() {}

  /**
   * Tags {@code indexTag} as an OCI index over the manifests {@code tags} name, the i-th entry
   * carrying the platform linux/{@code archs[i]}.
   *
   * @return the index's descriptor
   */
  public static Descriptor tag(Path layout, String indexTag, List<String> tags, List<String> archs)
      throws IOException {
    try (OciLayout l = OciLayout.open(layout)) {
      List<Descriptor> entries = new ArrayList<>();
      for (int i = 0; i < tags.size(); i++) {
        Descriptor m = References.resolve(l, tags.get(i));
        entries.add(
            new Descriptor(
                m.mediaType(),
                m.digest(),
                m.size(),
                null,
                null,
                null,
                new Platform(archs.get(i), "linux", null, null, null, null),
                null));
      }
      Index index = new Index(2, MediaTypes.IMAGE_INDEX, null, entries, null, null);
      Descriptor d = l.putJson(MediaTypes.IMAGE_INDEX, index);
      References.update(l, indexTag, d);
      return d;
    }
  }
}
