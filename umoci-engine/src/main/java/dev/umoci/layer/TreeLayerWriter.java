package dev.umoci.layer;

import dev.umoci.fs.FileStat;
import dev.umoci.fs.Unpriv;
import dev.umoci.sys.PathBytes;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Writes whole files and directory trees into a layer tar stream, deterministically: a tree is
 * walked depth first with each directory's children in byte order of their names (the order of Go's
 * {@code filepath.Walk}, which umoci's insert uses), so the same input gives the same bytes.
 * Entries appear in the order of the calls. Hard links are detected by (device, inode) across the
 * whole archive. File content streams from disk; nothing is buffered whole.
 *
 * <p>Target names are absolute image paths such as {@code /usr/bin/tool}; they are cleaned as if
 * rooted at {@code /} so nothing can name a path outside the image.
 */
public final class TreeLayerWriter implements Closeable {
  private final FileTarGenerator generator;
  private final Runnable afterEntry;

  public TreeLayerWriter(OutputStream plainTar, GenerateOptions options) {
    this(plainTar, options, () -> {});
  }

  /**
   * As {@link #TreeLayerWriter(OutputStream, GenerateOptions)}; runs {@code afterEntry} per file of
   * a tree.
   */
  public TreeLayerWriter(OutputStream plainTar, GenerateOptions options, Runnable afterEntry) {
    this.generator = new FileTarGenerator(plainTar, options);
    this.afterEntry = afterEntry;
  }

  /**
   * Adds {@code source} (file, symlink or directory tree; symlinks are never followed, not even
   * {@code source} itself) at the absolute image path {@code target}.
   */
  public void addTree(Path source, String target) throws IOException {
    Deque<Object[]> pending = new ArrayDeque<>();
    pending.push(new Object[] {source, PathBytes.ofText(target)});
    while (!pending.isEmpty()) {
      Object[] next = pending.pop();
      Path file = (Path) next[0];
      byte[] name = (byte[]) next[1];
      FileStat stat = generator.lstat(file);
      generator.addFile(name, file, stat);
      afterEntry.run();
      if (stat.isDirectory()) {
        List<Path> children = sortedChildren(file);
        for (int i = children.size() - 1; i >= 0; i--) {
          Path child = children.get(i);
          pending.push(new Object[] {child, LayerNames.join(name, PathBytes.fileName(child))});
        }
      }
    }
  }

  /**
   * Adds an explicit directory entry (e.g. parents such as {@code /app}) with mode 0755, the forced
   * owner or 0:0, and the clamp time or the epoch as its time.
   */
  public void addDirectory(String target) throws IOException {
    generator.addDirectory(PathBytes.ofText(target));
  }

  /** Adds {@code .wh.<name>} beside {@code target}: deletes it from lower layers. */
  public void addWhiteout(String target) throws IOException {
    generator.addWhiteout(PathBytes.ofText(target));
  }

  /** Adds {@code <dir>/.wh..wh..opq}: hides everything lower layers have under {@code dir}. */
  public void addOpaqueWhiteout(String targetDir) throws IOException {
    generator.addOpaqueWhiteout(PathBytes.ofText(targetDir));
  }

  /** Writes the end-of-archive blocks; does NOT close the underlying stream. */
  @Override
  public void close() throws IOException {
    generator.finish();
  }

  private List<Path> sortedChildren(Path dir) throws IOException {
    List<Path> children =
        Unpriv.wrap(
            generator.fs(),
            dir.resolve("."),
            () -> {
              List<Path> list = new ArrayList<>();
              try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(list::add);
              }
              return list;
            });
    children.sort((a, b) -> Arrays.compareUnsigned(PathBytes.fileName(a), PathBytes.fileName(b)));
    return children;
  }
}
