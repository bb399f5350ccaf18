package dev.umoci.layer;

import dev.umoci.errors.UnsafeArchiveEntryException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the whiteout entries of one layer as umoci does ({@code ociWhiteout}): {@code .wh.NAME}
 * removes {@code NAME}, the opaque marker removes the children of its directory, in both cases
 * sparing what the same layer wrote ({@link LayerTreeState#isUpper}), whichever came first in the
 * archive. A whiteout below a symlink this layer created is skipped ({@link LayerSymlinks} says
 * why). Refused: empty names and names {@code .} or {@code ..}.
 */
final class WhiteoutApplier {
  private static final Logger LOG = LoggerFactory.getLogger(WhiteoutApplier.class);
  private static final byte[] DOT = {'.'};
  private static final byte[] DOT_DOT = {'.', '.'};

  /** Removes a path and everything below it (refusing the rootfs itself). */
  interface Removal {
    void removeAll(Path path) throws IOException;
  }

  private final Path root;
  private final PosixFs fs;
  private final RootlessIo io;
  private final LayerTreeState state;
  private final LayerSymlinks symlinks;
  private final Removal removal;

  WhiteoutApplier(
      Path root,
      PosixFs fs,
      RootlessIo io,
      LayerTreeState state,
      LayerSymlinks symlinks,
      Removal removal) {
    this.root = root;
    this.fs = fs;
    this.io = io;
    this.state = state;
    this.symlinks = symlinks;
    this.removal = removal;
  }

  /**
   * Applies the whiteout {@code file} (a name {@link Whiteouts#isWhiteout} accepts).
   *
   * @param dir the resolved directory the entry is in
   * @param lexicalDir that directory as the entry names it, relative to the root
   */
  void apply(TarEntry entry, byte[] file, Path dir, Path lexicalDir) throws IOException {
    byte[] target = Whiteouts.target(file);
    if (target.length == 0) {
      throw new UnsafeArchiveEntryException(
          "tar entry " + entry.displayName() + ": invalid whiteout with empty name");
    }
    if (symlinks.resolvesThrough(root, lexicalDir)) {
      LOG.warn(
          "tar entry {}: skipping whiteout below a symlink this layer created"
              + " (the directory it named was replaced)",
          entry.displayName());
      return;
    }
    if (Whiteouts.isOpaque(file)) {
      whiteout(dir, true);
      return;
    }
    if (Arrays.equals(target, DOT) || Arrays.equals(target, DOT_DOT)) {
      throw new UnsafeArchiveEntryException(
          "tar entry "
              + entry.displayName()
              + ": malicious whiteout naming \""
              + PathBytes.escape(target)
              + "\" -- refusing to remove a parent directory");
    }
    Path path = dir.resolve(PathBytes.fromBytes(target));
    LayerExtractor.checkInside(root, path, path.toString());
    whiteout(path, false);
  }

  /**
   * Removes {@code target} (or, when opaque, the children of {@code target}) except paths this
   * layer wrote, descending into directories that hold such paths.
   */
  private void whiteout(Path target, boolean opaque) throws IOException {
    if (fs.lstatOrNull(target) != null) {
      walk(target, target, opaque);
    }
  }

  private void walk(Path top, Path current, boolean opaque) throws IOException {
    if (!state.isUpper(current) && !(opaque && current.equals(top))) {
      removal.removeAll(current);
      return;
    }
    FileStat st = fs.lstatOrNull(current);
    if (st == null || !st.isDirectory()) {
      return;
    }
    for (Path child : io.list(current)) {
      walk(top, child, opaque);
    }
  }
}
