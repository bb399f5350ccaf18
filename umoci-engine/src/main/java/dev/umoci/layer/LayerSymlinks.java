package dev.umoci.layer;

import dev.umoci.fs.SecureJoin;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The symlinks one layer has created so far, so that its whiteouts are not resolved through them.
 *
 * <p>A whiteout names a path of the lower layers (image-spec, "Whiteouts": whiteout files MUST only
 * apply to resources in lower/parent layers). When this layer has replaced a directory {@code d} of
 * those layers by a symlink, the lower {@code d/f} went with the directory (a non-directory entry
 * replaces the whole directory, "Changesets over existing files"); resolving {@code d/.wh.f}
 * through the new symlink would delete whatever the link points at, a file no layer asked to
 * remove. Such a whiteout has nothing left to delete and is skipped with a warning; the layer is
 * not refused, because umoci (Go) repack writes exactly this (symlink {@code d}, then {@code
 * d/.wh.f}) for {@code rm -r d && ln -s s d}.
 */
final class LayerSymlinks {
  private final Set<Path> created = new HashSet<>();

  /** Records that this layer wrote {@code path}: a symlink when {@code symlink}, else not one. */
  void wrote(Path path, boolean symlink) {
    if (symlink) {
      created.add(path);
    } else if (!created.isEmpty()) {
      created.remove(path);
    }
  }

  /**
   * True when resolving {@code lexicalDir} (relative to {@code root}) inside the root follows a
   * symlink this layer created and that is still there.
   */
  boolean resolvesThrough(Path root, Path lexicalDir) throws IOException {
    if (created.isEmpty()) {
      return false;
    }
    boolean[] crossed = {false};
    SecureJoin.join(
        root,
        lexicalDir,
        symlink -> {
          if (created.contains(symlink)) {
            crossed[0] = true;
          }
        });
    // Only this extractor changes the tree while a layer is applied, so a recorded path that is a
    // symlink now (SecureJoin reports only symlinks) is the one this layer made.
    return crossed[0];
  }
}
