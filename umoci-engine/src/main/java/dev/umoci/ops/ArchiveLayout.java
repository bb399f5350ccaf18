package dev.umoci.ops;

import dev.umoci.fs.IdMapping;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.layer.TreeLayerWriter;
import dev.umoci.oci.casext.DescriptorWalk;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.TreeMap;

/**
 * Writes a layout as an {@code oci-archive} tar (what {@code skopeo copy oci-archive:...} reads):
 * {@code oci-layout}, {@code index.json} and every blob reachable from the index, nothing else (no
 * garbage, no temporary files). Entries are sorted and owned by 0:0 and timed {@code clampMtime}
 * when given, so the same layout content gives the same archive bytes. The archive is written to a
 * temporary file and renamed into place; its mode follows the umask.
 */
public final class ArchiveLayout {
  private ArchiveLayout() {}

  /**
   * @param layout the layout to archive
   * @param archive the tar file to write (replaced if it exists)
   * @param clampMtime null keeps file times; otherwise every entry gets this time, whatever the
   *     time of its file (blobs linked from a cache keep the time they were pulled)
   */
  public record Options(Path layout, Path archive, Instant clampMtime) {}

  public static void run(Options o) throws IOException {
    try (ArchiveFile file = ArchiveFile.create(o.archive());
        OciLayout layout = OciLayout.open(o.layout())) {
      TreeMap<String, Path> blobFiles = new TreeMap<>();
      for (Descriptor d : DescriptorWalk.reachable(layout).values()) {
        if (layout.hasBlob(d.digest())) { // embedded data may have no file
          blobFiles.put(d.digest().toString(), layout.blobPath(d.digest()));
        }
      }
      GenerateOptions generate =
          new GenerateOptions(IdMapping.identity(), o.clampMtime(), 0, 0, false, true);
      try (OutputStream out = new BufferedOutputStream(file.open(), 1 << 16);
          TreeLayerWriter tar = new TreeLayerWriter(out, generate)) {
        tar.addTree(o.layout().resolve(OciLayout.LAYOUT_FILE), "/" + OciLayout.LAYOUT_FILE);
        tar.addTree(o.layout().resolve(OciLayout.INDEX_FILE), "/" + OciLayout.INDEX_FILE);
        tar.addDirectory("/" + OciLayout.BLOBS_DIR);
        tar.addDirectory("/" + OciLayout.BLOBS_DIR + "/" + Digest.SHA256);
        for (Path blob : blobFiles.values()) {
          tar.addTree(
              blob, "/" + OciLayout.BLOBS_DIR + "/" + Digest.SHA256 + "/" + blob.getFileName());
        }
      }
      file.publish();
    }
  }
}
