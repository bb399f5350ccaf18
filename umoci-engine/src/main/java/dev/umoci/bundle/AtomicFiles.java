package dev.umoci.bundle;

import dev.umoci.oci.layout.DirectorySync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Crash-safe file replacement: the content goes to a temporary file in the target's directory, is
 * flushed to disk, made {@code 0644} (what Go's {@code os.Create} gives under the usual umask) and
 * renamed over the target, and the directory is synced so the rename survives a power cut. Readers
 * (and a process killed at any point) see the old file or the new one, never a partial one.
 */
final class AtomicFiles {
  private AtomicFiles() {}

  static void write(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      // No fallback to a plain move: the temporary is in the target's directory, so an atomic
      // rename can only fail for reasons that a non-atomic copy would hide.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      DirectorySync.sync(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
