package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.sys.ExitRemovals;
import dev.umoci.sys.TreeRemover;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A copy with an archive on a side ({@link CopyLocation.OciArchiveFile}, {@link
 * CopyLocation.DockerArchiveFile}), as skopeo's {@code oci-archive} and {@code docker-archive}
 * transports, by way of layouts in a temporary directory: a source archive is read into one first
 * ({@link OciArchiveReader}: every blob verified against its name; {@link DockerArchiveReader}: the
 * image stored as OCI) and copied from as a layout (an {@code oci-archive}'s tag taken as for
 * {@code oci:}); a destination archive is written from a layout the copy fills ({@link
 * ArchiveLayout}, {@link DockerArchive}: to a temporary file renamed into place, so a failed copy
 * leaves an existing archive as it was). Entry times are {@code SOURCE_DATE_EPOCH} when the copy's
 * environment sets it ({@link dev.umoci.registry.RegistryOptions#environment()} of the source,
 * which also gives {@code TMPDIR}). The temporary directory is removed at the end, and at exit when
 * the JVM is stopped first.
 */
final class ArchiveCopy {
  /** The tag of the image in the layout a docker archive is written from or read into. */
  private static final String DOCKER_IMAGE = "image";

  private ArchiveCopy() {}

  /** Whether {@code o} has an archive on either side. */
  static boolean involves(Copy.Options o) {
    return o.source() instanceof CopyLocation.Archive
        || o.destination() instanceof CopyLocation.Archive;
  }

  /** Runs {@code o} (see the class comment) with what {@link Copy#start} started for it. */
  static Copy.Result run(Copy.Options o, Copy.Started started) throws IOException {
    Path temp;
    Instant clamp;
    try {
      if (o.destination() instanceof CopyLocation.DockerArchiveFile
          && o.platform() != null
          && o.platform().all()) {
        throw new InvalidArgumentException(
            o.destination() + ": a docker archive holds one image, not a whole index (--all)");
      }
      clamp =
          Timestamps.parseSourceDateEpoch(o.sourceRegistry().environment().get("SOURCE_DATE_EPOCH"))
              .orElse(null);
      temp =
          Files.createTempDirectory(
              SpoolDirectory.parent(o.sourceRegistry().environment()), "umoci-archive-");
    } catch (IOException | RuntimeException e) {
      started.abandon();
      throw e;
    }
    try (ExitRemovals.Registration removal = ExitRemovals.register(temp)) {
      CopyLocation source = o.source();
      if (source instanceof CopyLocation.Archive archive) {
        try {
          source = read(archive, temp.resolve("source"));
        } catch (IOException | RuntimeException e) {
          started.abandon();
          throw e;
        }
      }
      Path out = temp.resolve("destination");
      CopyLocation destination = o.destination();
      if (destination instanceof CopyLocation.OciArchiveFile a) {
        destination = new CopyLocation.Layout(new ImageRef(out, tagOrDefault(a.tag())), true);
      } else if (destination instanceof CopyLocation.DockerArchiveFile) {
        destination = new CopyLocation.Layout(new ImageRef(out, DOCKER_IMAGE), true);
      }
      Copy.Result r =
          Copy.copy(
              new Copy.Options(
                  source,
                  destination,
                  o.platform(),
                  o.sourceRegistry(),
                  o.destinationRegistry(),
                  o.listener(),
                  o.preserveDigests(),
                  null),
              started);
      write(o.destination(), out, clamp);
      return r;
    } finally {
      TreeRemover.direct().remove(temp);
    }
  }

  /**
   * Reads the source archive {@code archive} into a layout at {@code dir}, the copy's source (also
   * the start of an {@link ArchiveBaseImport}).
   */
  static CopyLocation.Layout read(CopyLocation.Archive archive, Path dir) throws IOException {
    if (archive instanceof CopyLocation.OciArchiveFile in) {
      OciArchiveReader.extract(in.archive(), dir);
      return new CopyLocation.Layout(new ImageRef(dir, tagOrDefault(in.tag())), in.tag() != null);
    }
    CopyLocation.DockerArchiveFile in = (CopyLocation.DockerArchiveFile) archive;
    DockerArchiveReader.read(in.archive(), in.repoTag(), dir, DOCKER_IMAGE);
    return new CopyLocation.Layout(new ImageRef(dir, DOCKER_IMAGE), true);
  }

  /** Writes the layout at {@code out} as {@code destination} when that is an archive. */
  private static void write(CopyLocation destination, Path out, Instant clamp) throws IOException {
    if (destination instanceof CopyLocation.OciArchiveFile a) {
      ArchiveLayout.run(new ArchiveLayout.Options(out, a.archive(), clamp));
    } else if (destination instanceof CopyLocation.DockerArchiveFile a) {
      DockerArchive.run(
          new DockerArchive.Options(
              new ImageRef(out, DOCKER_IMAGE),
              a.archive(),
              a.repoTag() == null ? List.of() : List.of(a.repoTag()),
              clamp));
    }
  }

  private static String tagOrDefault(String tag) {
    return tag == null ? ImageRef.DEFAULT_TAG : tag;
  }
}
