package dev.umoci.oci.layout;

import dev.umoci.errors.UmociException;
import dev.umoci.sys.ExitRemovals;
import dev.umoci.sys.TreeRemover;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code .umoci-*} directory where one open layout writes files before renaming them into
 * place: made on first use, {@code flock}ed (the lock umoci (Go) takes, so its {@code gc} spares
 * it) and removed on {@link #close}, or at JVM shutdown if the layout is still open then ({@link
 * ExitRemovals}); and the removal of such directories that nobody holds (umoci's {@code Clean}).
 * Thread-safe.
 */
final class LayoutTempDir {
  private static final Logger LOG = LoggerFactory.getLogger(LayoutTempDir.class);

  private final Path root;
  private final Consumer<Path> matchOwner;
  private Path dir;
  private DirectoryLock lock;
  private ExitRemovals.Registration removal;
  private boolean closed;

  /**
   * @param matchOwner gives a new directory the layout's owner
   */
  LayoutTempDir(Path root, Consumer<Path> matchOwner) {
    this.root = root;
    this.matchOwner = matchOwner;
  }

  /** The directory, made and locked on first use. */
  synchronized Path get() throws IOException {
    if (closed) {
      throw new UmociException(root + ": layout is closed");
    }
    if (dir == null) {
      Path made = TempNames.createDirectory(root, OciLayout.TEMP_PREFIX);
      matchOwner.accept(made);
      DirectoryLock held = DirectoryLock.tryLock(made);
      if (held == null) {
        throw new IOException("cannot lock new temporary directory " + made);
      }
      dir = made;
      lock = held;
      removal = ExitRemovals.register(made);
    }
    return dir;
  }

  /**
   * Removes stale {@code .umoci-*} entries of the layout root that nobody holds locked. Entries
   * another process (or this object) has locked are skipped; other files are never touched.
   *
   * @return the removed paths
   */
  List<Path> cleanStale() throws IOException {
    return cleanStale(Duration.ZERO);
  }

  /**
   * Like {@link #cleanStale()}, but spares entries changed less than {@code minAge} ago: for a
   * clean-up that runs unasked while other processes may be starting to write (a process makes its
   * directory and then locks it; an entry seen between the two looks stale).
   */
  List<Path> cleanStale(Duration minAge) throws IOException {
    List<Path> removed = new ArrayList<>();
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(root, OciLayout.TEMP_PREFIX + "*")) {
      entries.forEach(candidates::add);
    }
    Instant changedBefore = Instant.now().minus(minAge);
    for (Path candidate : candidates) {
      synchronized (this) {
        if (candidate.equals(dir)) {
          continue;
        }
      }
      if (!minAge.isZero() && !changedBefore(candidate, changedBefore)) {
        continue;
      }
      DirectoryLock held;
      try {
        held = DirectoryLock.tryLock(candidate);
      } catch (IOException e) {
        LOG.warn("cannot lock {}, skipping it: {}", candidate, e.getMessage());
        continue;
      }
      if (held == null) {
        LOG.debug("{} is in use, skipping it", candidate);
        continue;
      }
      try {
        TreeRemover.direct().remove(candidate);
        removed.add(candidate);
        LOG.debug("cleaned {}", candidate);
      } catch (IOException e) {
        LOG.warn("failed to remove {}: {}", candidate, e.getMessage());
      } finally {
        held.close();
      }
    }
    return removed;
  }

  private static boolean changedBefore(Path entry, Instant limit) {
    try {
      return Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS)
          .toInstant()
          .isBefore(limit);
    } catch (IOException e) {
      return false; // gone meanwhile, or unreadable: not ours to judge
    }
  }

  /** Removes the directory (if made) and releases its lock; later {@link #get} calls fail. */
  synchronized void close() throws IOException {
    closed = true;
    if (dir != null) {
      try {
        TreeRemover.direct().remove(dir);
      } finally {
        release();
      }
    }
  }

  private void release() {
    removal.close();
    lock.close();
    dir = null;
  }
}
