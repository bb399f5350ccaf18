package dev.umoci.ops;

import dev.umoci.oci.casext.DescriptorWalk;
import dev.umoci.oci.casext.ImageManifests;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.BlobWriter;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.ManifestBytes;
import dev.umoci.oci.spec.OciManifests;
import dev.umoci.registry.PlatformChoice;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code copy oci:A oci:B}: the blobs of one image (or index) copied from one layout to another,
 * verified as they are read, published one by one into the destination ({@link LayoutDestination},
 * which undoes a failed copy), the tag set last.
 */
final class LayoutCopy {
  private static final Logger LOG = LoggerFactory.getLogger(LayoutCopy.class);

  private LayoutCopy() {}

  /**
   * Copies {@code src} with {@code choice} to {@code dst}. Docker schema 2 manifests and lists in
   * the source are stored converted to OCI, as a pull stores them ({@link OciManifests}; the oci
   * transport of skopeo takes only OCI types): config and layer blobs are copied as they are, the
   * converted manifests are written instead of the source's. The conversion (or its refusal with
   * {@code preserveDigests}) happens before the destination is opened, so a refused copy leaves
   * nothing.
   */
  static Copy.Result run(
      CopyLocation.Layout src, ImageRef dst, PlatformChoice choice, boolean preserveDigests)
      throws IOException {
    try (OciLayout from = OciLayout.open(src.image().layout())) {
      Descriptor top = Copy.select(from, src.resolve(from), choice);
      String where = "layout " + src.image().layout() + ": ";
      OciManifests oci = OciManifests.of(ImageManifests.below(from, top), preserveDigests, where);
      oci.replaced()
          .forEach((old, to) -> LOG.debug("{}{} stored as OCI {}", where, old, to.digest()));
      Descriptor result = oci.map(top);
      LayoutDestination destination = LayoutDestination.open(dst.layout());
      try {
        try (destination) {
          OciLayout to = destination.layout();
          int[] copied = new int[2];
          long[] bytes = new long[1];
          DescriptorWalk.walk(
              from,
              List.of(top),
              d -> {
                if (oci.replaced().containsKey(d.digest())) {
                  return; // its converted form is written below; its children are still walked
                }
                if (d.data() != null || to.hasBlob(d.digest())) {
                  copied[1]++;
                  return;
                }
                try (InputStream in = from.openBlob(d);
                    BlobWriter w = to.newBlob()) {
                  in.transferTo(w);
                  destination.published(d.digest());
                  w.commit(d.digest(), d.size());
                }
                copied[0]++;
                bytes[0] += d.size();
              });
          Set<Digest> converted = new HashSet<>();
          oci.replaced().values().forEach(d -> converted.add(d.digest()));
          for (ManifestBytes m : oci.manifests()) {
            if (!converted.contains(m.digest())) {
              continue;
            }
            if (to.hasBlob(m.digest())) {
              copied[1]++;
              continue;
            }
            try (BlobWriter w = to.newBlob()) {
              w.write(m.bytes());
              destination.published(m.digest());
              w.commit(m.digest(), m.bytes().length);
            }
            copied[0]++;
            bytes[0] += m.bytes().length;
          }
          References.update(to, dst.tag(), result);
          return new Copy.Result(result, copied[0], copied[1], bytes[0]);
        }
      } catch (IOException | RuntimeException e) {
        destination.undo();
        throw e;
      }
    }
  }
}
