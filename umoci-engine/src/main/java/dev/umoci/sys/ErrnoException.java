package dev.umoci.sys;

import java.io.IOException;

/**
 * A failed system call, carrying its errno (compare with the {@link Errno} constants) so that
 * callers react to EPERM and friends without reading the message.
 */
public class ErrnoException extends IOException {
  private final int errno;

  public ErrnoException(String call, String path, int errno, String reason) {
    super(call + " " + path + ": " + reason);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }

  /** True for the permission errors that rootless mode may tolerate. */
  public boolean isPermissionError() {
    return errno == Errno.EPERM || errno == Errno.EACCES;
  }

  /** True when the path, or a parent of it, does not exist (ENOENT, or ENOTDIR for a parent). */
  public boolean isMissingPath() {
    return Errno.isMissingPath(errno);
  }
}
