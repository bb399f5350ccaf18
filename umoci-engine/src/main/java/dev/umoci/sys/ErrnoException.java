package dev.umoci.sys;

import java.io.IOException;

/** A failed system call, carrying its errno so callers can react to EPERM and friends. */
public class ErrnoException extends IOException {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EACCES = 13;
  public static final int EEXIST = 17;
  public static final int ENOTDIR = 20;
  public static final int EINVAL = 22;
  public static final int ENOTSUP = 95;
  public static final int ENODATA = 61;

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
    return errno == EPERM || errno == EACCES;
  }
}
