package dev.umoci.fs;

/**
 * The lstat(2) view of a path. {@code mode} holds the type bits (S_IFMT) and the permission bits
 * including setuid, setgid and sticky. Times are nanoseconds since the epoch.
 */
public record FileStat(
    int mode,
    int uid,
    int gid,
    long size,
    long ino,
    long dev,
    long rdev,
    int nlink,
    long atimeNanos,
    long mtimeNanos,
    long ctimeNanos) {
  public static final int S_IFMT = 0170000;
  public static final int S_IFSOCK = 0140000;
  public static final int S_IFLNK = 0120000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFBLK = 0060000;
  public static final int S_IFDIR = 0040000;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFIFO = 0010000;

  public int type() {
    return mode & S_IFMT;
  }

  /** Permission bits including setuid (04000), setgid (02000) and sticky (01000). */
  public int permissions() {
    return mode & 07777;
  }

  public boolean isDirectory() {
    return type() == S_IFDIR;
  }

  public boolean isRegularFile() {
    return type() == S_IFREG;
  }

  public boolean isSymlink() {
    return type() == S_IFLNK;
  }

  /** Linux encoding of a device number into major. */
  public static long major(long dev) {
    return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
  }

  /** Linux encoding of a device number into minor. */
  public static long minor(long dev) {
    return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
  }

  /** Linux makedev(3). */
  public static long makedev(long major, long minor) {
    return (minor & 0xff)
        | ((major & 0xfff) << 8)
        | ((minor & ~0xffL) << 12)
        | ((major & ~0xfffL) << 32);
  }
}
