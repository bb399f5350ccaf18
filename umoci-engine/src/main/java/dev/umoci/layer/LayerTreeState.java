package dev.umoci.layer;

import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What {@link LayerExtractor} knows about the rootfs while it applies one layer, so that most
 * entries need no symlink resolution, no {@code mkdir} walk and no {@code lstat}: the directories
 * it resolved or created, the paths the layer wrote ("upper paths", which the layer's whiteouts
 * spare) and the times of the directories whose children it changed.
 *
 * <p>Contract: only the extractor changes the tree while a layer is applied, and it reports every
 * directory it removes to {@link #forget} (the tree remover's hook), before anything is created in
 * its place. Not thread-safe.
 */
final class LayerTreeState {
  private final Path root;
  private final PosixFs fs;

  /** Paths (absolute, under the root) this layer wrote, and their parents below the root. */
  private final Set<Path> upperPaths = new HashSet<>();

  /** Times (atime, mtime in ns) to give each directory when the layer is done. */
  private final Map<Path, long[]> dirTimes = new HashMap<>();

  /**
   * Directories under the root resolved or created as real directories (every component a
   * directory, none a symlink), by their lexical path.
   */
  private final Set<Path> realDirectories = new HashSet<>();

  /**
   * Directories created while applying this layer. Everything inside one was put there by this
   * layer and recorded in {@link #upperPaths}.
   */
  private final Set<Path> createdDirectories = new HashSet<>();

  LayerTreeState(Path root, PosixFs fs) {
    this.root = root;
    this.fs = fs;
  }

  /**
   * True when {@code dir} is known to be a real directory: an entry below it needs no symlink
   * resolution and no {@code mkdir} walk.
   */
  boolean isRealDirectory(Path dir) {
    return realDirectories.contains(dir);
  }

  /** Records that {@code dir} exists and no component of it is a symlink. */
  void realDirectory(Path dir) {
    realDirectories.add(dir);
  }

  /** Records that this layer created the directory {@code dir}. */
  void createdDirectory(Path dir) {
    createdDirectories.add(dir);
  }

  /**
   * True when {@code path}, a child of {@code dir}, certainly does not exist: {@code dir} was
   * created by this layer, which has not written {@code path}.
   */
  boolean knownAbsent(Path dir, Path path) {
    return createdDirectories.contains(dir) && !upperPaths.contains(path);
  }

  /** Whether this layer wrote {@code path} or something below it. */
  boolean isUpper(Path path) {
    return upperPaths.contains(path);
  }

  /** Records that this layer wrote {@code path}, and so below each of its parents. */
  void wrote(Path path) {
    for (Path p = path; !p.equals(root); p = p.getParent()) {
      if (!upperPaths.add(p)) {
        break;
      }
    }
  }

  /** Records a directory's current times once, to restore them after its children change. */
  void rememberTimes(Path dir) throws IOException {
    if (dirTimes.containsKey(dir)) {
      return;
    }
    FileStat st = fs.lstatOrNull(dir);
    if (st != null && st.isDirectory()) {
      dirTimes.put(dir, new long[] {st.atimeNanos(), st.mtimeNanos()});
    }
  }

  /** The times (atime, mtime in ns) {@code dir} gets when the layer is done. */
  void setTimes(Path dir, long[] times) {
    dirTimes.put(dir, times);
  }

  /** Gives every recorded directory that is still one its recorded times, and forgets them. */
  void restoreTimes() throws IOException {
    for (Map.Entry<Path, long[]> d : dirTimes.entrySet()) {
      Path dir = d.getKey();
      FileStat st = fs.lstatOrNull(dir);
      if (st != null && st.isDirectory()) {
        fs.setTimes(dir, d.getValue()[0], d.getValue()[1]);
      }
    }
    dirTimes.clear();
  }

  /**
   * Forgets what the sets know about {@code dir}, which is being removed (the remover's hook,
   * called for every directory it removes). Every directory the sets hold below it exists (each is
   * dropped here when removed), so the remover visits it and drops it in turn: constant work per
   * removed directory, where scanning the sets for descendants made many deletions quadratic.
   */
  void forget(Path dir) {
    realDirectories.remove(dir);
    createdDirectories.remove(dir);
    dirTimes.remove(dir);
  }
}
