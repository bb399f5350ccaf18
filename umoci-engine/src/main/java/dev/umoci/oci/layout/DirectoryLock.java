package dev.umoci.oci.layout;

import dev.umoci.sys.ErrnoException;
import dev.umoci.sys.Syscalls;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@code flock(2)} on a directory (or a file: it is opened read-only either way), exclusive (the
 * kind umoci (Go) takes on its {@code .umoci-*} temporary directories) or shared. flock locks
 * belong to an open file description, so two locks taken in one process (even one thread) exclude
 * each other, unlike JDK file locks, and the kernel drops them when the process dies, however it
 * dies. Linux only.
 */
final class DirectoryLock implements Closeable {
  private final Path dir;
  private int fd;

  private DirectoryLock(Path dir, int fd) {
    this.dir = dir;
    this.fd = fd;
  }

  /**
   * Tries once to lock {@code dir} exclusively.
   *
   * @return the held lock, or null when another open description holds it
   * @throws IOException when the directory cannot be opened
   */
  static DirectoryLock tryLock(Path dir) throws IOException {
    return tryLock(dir, false);
  }

  /**
   * Tries once to lock {@code dir}, shared (any number of shared holders, no exclusive one) or
   * exclusive (one holder, no shared ones).
   *
   * @return the held lock, or null when a conflicting lock is held
   * @throws IOException when the directory cannot be opened
   */
  static DirectoryLock tryLock(Path dir, boolean shared) throws IOException {
    int fd = openDir(dir);
    try {
      int mode = shared ? Syscalls.LOCK_SH : Syscalls.LOCK_EX;
      if (Syscalls.flock(fd, mode | Syscalls.LOCK_NB, dir)) {
        return new DirectoryLock(dir, fd);
      }
    } catch (ErrnoException e) {
      Syscalls.closeQuietly(fd);
      throw e;
    }
    Syscalls.closeQuietly(fd);
    return null;
  }

  private static int openDir(Path dir) throws IOException {
    try {
      return Syscalls.openReadOnly(dir);
    } catch (ErrnoException e) {
      throw new IOException("cannot open " + dir + " for locking: " + e.getMessage(), e);
    }
  }

  /** Releases the lock; idempotent. */
  @Override
  public synchronized void close() {
    if (fd >= 0) {
      try {
        Syscalls.flock(fd, Syscalls.LOCK_UN, dir);
      } catch (ErrnoException ignored) {
        // closing the descriptor below releases the lock anyway
      }
      Syscalls.closeQuietly(fd);
      fd = -1;
    }
  }
}
