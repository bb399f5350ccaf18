package dev.umoci.oci.layout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe replacement of a small file, the one implementation in the engine ({@code index.json}
 * here, the bundle's files in {@code bundle}): the content goes to a temporary file, is flushed to
 * disk, prepared by the caller (permissions, owner), renamed over the target, and the target's
 * directory is synced so that the rename survives a power cut. Readers, and a process killed at any
 * point, see the old file or the new one, never a partial one. There is no fallback to a non-atomic
 * move: the temporary must be on the target's filesystem, and a failed rename is reported.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** What the caller does to the synced temporary before it is renamed into place. */
  public interface Prepare {
    void accept(Path temp) throws IOException;
  }

  /**
   * Replaces {@code target} with {@code content}.
   *
   * @param tempDir where the temporary is made: a directory on the target's filesystem
   * @param prefix the temporary's name prefix (so that stale ones are recognisable)
   */
  public static void replace(
      Path target, byte[] content, Path tempDir, String prefix, Prepare prepare)
      throws IOException {
    Path temp = TempNames.createFile(tempDir, prefix, ".tmp");
    try {
      writeSynced(temp, content);
      prepare.accept(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      DirectorySync.sync(target.toAbsolutePath().getParent());
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Writes {@code content} to the existing or new file {@code file} and syncs it to disk. */
  static void writeSynced(Path file, byte[] content) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }
}
