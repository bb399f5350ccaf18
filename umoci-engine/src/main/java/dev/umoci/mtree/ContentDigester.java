package dev.umoci.mtree;

import dev.umoci.fs.FileStat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Computes the checksums of a regular file's content for the walker. Implementations must be
 * thread-safe: the walker calls them from several threads at once. Wrap one with {@link
 * #caching(ContentDigester)} (or a persistent cache of your own keyed by device, inode, size, mtime
 * and ctime) so that unchanged files are not read again.
 */
public interface ContentDigester {

  /**
   * The checksums of {@code file}'s content, one per requested kind: lowercase hex for message
   * digests, decimal for {@link DigestKind#CKSUM}. {@code stat} is the file's lstat. The file must
   * be opened without following a symlink.
   */
  Map<DigestKind, String> digest(Path file, FileStat stat, Set<DigestKind> kinds)
      throws IOException;

  /**
   * The checksums {@link #digest} would give when they are known without reading the file (a cache
   * hit), else null. Does no I/O on the content, so the walker calls it on its own thread and hands
   * only real hashing to its pool.
   */
  default Map<DigestKind, String> known(Path file, FileStat stat, Set<DigestKind> kinds) {
    return null;
  }

  /** Reads nothing and knows no checksum: an entry described with it has no content keywords. */
  static ContentDigester none() {
    return (file, stat, kinds) -> Map.of();
  }

  /** Reads the whole file once, feeding every requested algorithm, with a large buffer. */
  static ContentDigester streaming() {
    return StreamingContentDigester.INSTANCE;
  }

  /**
   * A digester that remembers results in memory, keyed by (device, inode, size, mtime, ctime): hard
   * links and repeated walks are read once.
   */
  static ContentDigester caching(ContentDigester delegate) {
    return new CachingContentDigester(delegate);
  }
}
