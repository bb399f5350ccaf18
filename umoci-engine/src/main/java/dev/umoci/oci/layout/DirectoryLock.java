package dev.umoci.oci.layout;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A {@code flock(2)} on a directory (or a file: it is opened read-only either way), exclusive (the
 * kind umoci (Go) takes on its {@code .umoci-*} temporary directories) or shared. flock locks
 * belong to an open file description, so two locks taken in one process (even one thread) exclude
 * each other, unlike JDK file locks, and the kernel drops them when the process dies, however it
 * dies. Linux only.
 */
final class DirectoryLock implements Closeable {
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 02000000;
  private static final int LOCK_SH = 1;
  private static final int LOCK_EX = 2;
  private static final int LOCK_NB = 4;
  private static final int LOCK_UN = 8;
  private static final int EWOULDBLOCK = 11;

  private static final class LibC {
    static {
      Native.register(Platform.C_LIBRARY_NAME);
    }

    static native int open(byte[] path, int flags) throws LastErrorException;

    static native int flock(int fd, int operation) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;
  }

  private int fd;

  private DirectoryLock(int fd) {
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
      LibC.flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB);
      return new DirectoryLock(fd);
    } catch (LastErrorException e) {
      closeQuietly(fd);
      if (e.getErrorCode() == EWOULDBLOCK) {
        return null;
      }
      throw new IOException("flock " + dir + ": errno " + e.getErrorCode(), e);
    }
  }

  private static int openDir(Path dir) throws IOException {
    byte[] name = dir.toString().getBytes(StandardCharsets.UTF_8);
    byte[] cPath = new byte[name.length + 1];
    System.arraycopy(name, 0, cPath, 0, name.length);
    try {
      return LibC.open(cPath, O_RDONLY | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IOException("open " + dir + " for locking: errno " + e.getErrorCode(), e);
    }
  }

  private static void closeQuietly(int fd) {
    try {
      LibC.close(fd);
    } catch (LastErrorException ignored) {
      // nothing sensible to do: the descriptor is gone either way
    }
  }

  /** Releases the lock; idempotent. */
  @Override
  public synchronized void close() {
    if (fd >= 0) {
      try {
        LibC.flock(fd, LOCK_UN);
      } catch (LastErrorException ignored) {
        // closing the descriptor below releases the lock anyway
      }
      closeQuietly(fd);
      fd = -1;
    }
  }
}
