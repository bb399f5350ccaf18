package dev.umoci.oci.layout;

import dev.umoci.sys.ErrnoException;
import dev.umoci.sys.Syscalls;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts the kernel's write-out of a blob's temporary file every {@value #WINDOW} bytes written
 * ({@link Syscalls#startWriteOut}), so that the disk writes while the rest of the blob arrives and
 * the fsync of {@link BlobWriter#commit()} waits only for the last window instead of the whole
 * blob. On this project's 2-core VM the fsync of a 99 MB pulled blob on ext4 took 35-42 ms at the
 * end of a pull (docs/performance.md, registry).
 *
 * <p>Only a hint: durability still comes from the fsync at commit; a failure of any kind (a
 * filesystem or C library without {@code sync_file_range}, a descriptor that cannot be opened)
 * turns it off for this file, silently. It uses a read-only descriptor of its own, opened on the
 * first window (small blobs never open one). Thread-safe: the parts of a blob written on other
 * threads count too.
 */
final class EarlyWriteOut implements AutoCloseable {
  /** Bytes written between two write-outs: large enough that the calls cost nothing. */
  static final long WINDOW = 8L << 20;

  private final Path file;
  private final AtomicLong pending = new AtomicLong();
  private int fd = -1;
  private boolean off;

  EarlyWriteOut(Path file) {
    this.file = file;
  }

  /** Counts {@code bytes} more written; starts a write-out when a window is full. */
  void written(long bytes) {
    if (pending.addAndGet(bytes) >= WINDOW) {
      pending.set(0);
      startWriteOut();
    }
  }

  private synchronized void startWriteOut() {
    if (off) {
      return;
    }
    try {
      if (fd < 0) {
        fd = Syscalls.openReadOnly(file);
      }
      Syscalls.startWriteOut(fd, file);
    } catch (ErrnoException | LinkageError e) {
      off = true;
    }
  }

  /** Releases the descriptor, if one was opened. */
  @Override
  public synchronized void close() {
    off = true;
    if (fd >= 0) {
      Syscalls.closeQuietly(fd);
      fd = -1;
    }
  }
}
