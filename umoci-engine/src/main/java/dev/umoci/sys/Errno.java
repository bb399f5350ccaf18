package dev.umoci.sys;

/**
 * Named errno values of Linux (the asm-generic numbering that x86_64 and aarch64 share). Code that
 * reacts to a failed system call compares {@link ErrnoException#errno()} with these, never the
 * message text, which the C library translates per locale.
 */
public final class Errno {
  private Errno() {}

  /**
   * True when {@code errno} says a path, or a parent of it, does not exist: ENOENT, or ENOTDIR for
   * a parent that is not a directory. Every "is anything there?" decision uses this one rule.
   */
  public static boolean isMissingPath(int errno) {
    return errno == ENOENT || errno == ENOTDIR;
  }

  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;

  /** Same value as {@link #EAGAIN} on Linux: a non-blocking lock is held elsewhere. */
  public static final int EWOULDBLOCK = EAGAIN;

  public static final int EACCES = 13;
  public static final int EEXIST = 17;
  public static final int EXDEV = 18;
  public static final int ENOTDIR = 20;
  public static final int EISDIR = 21;
  public static final int EINVAL = 22;
  public static final int ENOSPC = 28;
  public static final int EROFS = 30;
  public static final int ERANGE = 34;
  public static final int ENAMETOOLONG = 36;
  public static final int ENOSYS = 38;
  public static final int ENOTEMPTY = 39;
  public static final int ELOOP = 40;
  public static final int ENODATA = 61;

  /** EOPNOTSUPP, which Linux also calls ENOTSUP. */
  public static final int ENOTSUP = 95;

  /** The symbolic name of {@code errno} ("ENOENT"), or "errno N" for one not named here. */
  public static String name(int errno) {
    return switch (errno) {
      case EPERM -> "EPERM";
      case ENOENT -> "ENOENT";
      case EINTR -> "EINTR";
      case EIO -> "EIO";
      case EBADF -> "EBADF";
      case EAGAIN -> "EAGAIN";
      case EACCES -> "EACCES";
      case EEXIST -> "EEXIST";
      case EXDEV -> "EXDEV";
      case ENOTDIR -> "ENOTDIR";
      case EISDIR -> "EISDIR";
      case EINVAL -> "EINVAL";
      case ENOSPC -> "ENOSPC";
      case EROFS -> "EROFS";
      case ERANGE -> "ERANGE";
      case ENAMETOOLONG -> "ENAMETOOLONG";
      case ENOSYS -> "ENOSYS";
      case ENOTEMPTY -> "ENOTEMPTY";
      case ELOOP -> "ELOOP";
      case ENODATA -> "ENODATA";
      case ENOTSUP -> "ENOTSUP";
      default -> "errno " + errno;
    };
  }
}
