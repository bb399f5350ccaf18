package dev.umoci.ops;

import dev.umoci.oci.casext.DescriptorWalk;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Puts the blobs of a base image, which lives in another layout (a user's layout or the per-user
 * {@link BaseImageCache}), into the layout a build writes.
 *
 * <p>Each blob becomes a hard link to the source's file where the file system allows, so that the
 * base's layers are stored once whatever the number of projects built on it; else (another file
 * system, no hard links, another owner) a verified copy. A linked file is read back against its
 * digest unless the source is the cache and its {@link VerifiedBlobRecords record} says the file is
 * the one it verified (the pull verified it while streaming, so a build need not read hundreds of
 * megabytes again); a link that had to be read back is recorded for the next build.
 *
 * <p>Sharing a file between layouts never lets one change the other's blob: the engine writes a
 * blob only by renaming a new temporary file onto its name (never by opening a published blob for
 * writing), and {@code gc}, a rebuild or {@code mvn clean} only unlink names, which leaves the
 * cache's link to the file in place.
 */
final class BaseBlobs {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BaseBlobs.class);

  private BaseBlobs() {}

  /** Puts every blob {@code root} reaches in {@code source} into {@code target}. */
  static void put(OciLayout source, Descriptor root, OciLayout target) throws IOException {
    VerifiedBlobRecords records = VerifiedBlobRecords.existing(source.root());
    int[] trustedLinkedCopied = new int[3];
    DescriptorWalk.walk(
        source,
        List.of(root),
        d -> {
          if (target.hasBlob(d.digest())) {
            return;
          }
          if (d.data() == null) {
            Path file = source.blobPath(d.digest());
            boolean trusted = records != null && records.verified(file, d);
            if (target.linkBlob(file, d, !trusted)) {
              trustedLinkedCopied[trusted ? 0 : 1]++;
              if (!trusted && records != null) {
                records.record(file, d.digest());
              }
              return;
            }
          }
          try (InputStream in = source.openBlob(d)) {
            target.putBlob(in);
          }
          trustedLinkedCopied[2]++;
        });
    LOG.debug(
        "base image {}: {} blob(s) linked as verified by the cache, {} linked and read back, {}"
            + " copied from {}",
        root.digest(),
        trustedLinkedCopied[0],
        trustedLinkedCopied[1],
        trustedLinkedCopied[2],
        source.root());
  }
}
