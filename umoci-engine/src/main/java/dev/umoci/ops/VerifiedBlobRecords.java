package dev.umoci.ops;

import dev.umoci.oci.layout.AtomicFile;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The base-image cache's record of the blobs it verified, so that a build can link a cached base
 * layer without reading its hundreds of megabytes again (see {@link BaseBlobs}).
 *
 * <p>Contract: a record is written only for a blob file whose content was checked against its
 * digest and size just before (by the pull that published it, or by a build that read it back). It
 * holds that file's identity at that moment: device, inode, size and modification time in
 * nanoseconds. {@link #verified} is true only while the file still has that identity. Any write to
 * the file changes its modification time; a replaced or re-pulled file has another inode (or, if
 * the inode number is reused, another modification time). A file changed behind the cache's back
 * with its modification time reset by hand is not detected: the same trust git and rsync place in
 * file identity.
 *
 * <p>Records live beside the cache layout, in {@code <layout>.verified/} (never inside the OCI
 * layout), one file per digest, each replaced atomically ({@link AtomicFile}), so concurrent builds
 * only ever see whole records. A missing, torn or stale record only means the blob is read back
 * once more.
 */
final class VerifiedBlobRecords {
  private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime";

  private final Path directory;

  private VerifiedBlobRecords(Path directory) {
    this.directory = directory;
  }

  /** The records of the cache layout {@code layout} (created on the first record). */
  static VerifiedBlobRecords of(Path layout) {
    Path absolute = layout.toAbsolutePath();
    return new VerifiedBlobRecords(
        absolute.resolveSibling(absolute.getFileName().toString() + ".verified"));
  }

  /** The records of {@code layout} when it is a cache that has any, else null. */
  static VerifiedBlobRecords existing(Path layout) {
    VerifiedBlobRecords records = of(layout);
    return Files.isDirectory(records.directory, LinkOption.NOFOLLOW_LINKS) ? records : null;
  }

  /**
   * Records that {@code file}, the blob {@code digest}, has just been verified. Failing to write
   * the record is not an error (the blob is verified again on its next use).
   */
  void record(Path file, Digest digest) {
    try {
      String identity = identity(file);
      Files.createDirectories(directory);
      AtomicFile.replace(
          recordPath(digest),
          identity.getBytes(StandardCharsets.UTF_8),
          directory,
          ".record-",
          temp -> {});
    } catch (IOException | UnsupportedOperationException e) {
      org.slf4j.LoggerFactory.getLogger(VerifiedBlobRecords.class)
          .debug("no verification record for {}: {}", digest, e.toString());
    }
  }

  /**
   * Whether {@code file} is the blob {@code d} as it was when it was verified: its record exists
   * and names the file's current identity, and the size is the descriptor's.
   */
  boolean verified(Path file, Descriptor d) {
    try {
      String recorded = Files.readString(recordPath(d.digest()), StandardCharsets.UTF_8);
      String current = identity(file);
      return recorded.equals(current) && Files.size(file) == d.size();
    } catch (IOException | UnsupportedOperationException e) {
      return false; // no record (NoSuchFileException), or the file is gone: read it back
    }
  }

  private Path recordPath(Digest digest) {
    return directory.resolve(digest.algorithm() + "-" + digest.hex());
  }

  /** {@code dev ino size mtime-ns}, not following links. */
  private static String identity(Path file) throws IOException {
    Map<String, Object> a = Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
    return a.get("dev") + " " + a.get("ino") + " " + a.get("size") + " " + mtime + "\n";
  }
}
