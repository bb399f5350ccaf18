package dev.umoci.fs;

import dev.umoci.sys.Errno;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Optional;

/**
 * lstat(2) through the JDK's own {@code sun.nio.fs.UnixFileAttributes}: one native call and one
 * small object, where the public attribute-map API parses an attribute list, boxes every value and
 * builds a map per call. It reads the object's {@code st_*} fields, which the JVM lets us do only
 * with {@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED} (the CLI jar's manifest sets it);
 * without it, or on a JDK whose fields differ, {@link #available()} is false and callers use the
 * public API. Both give the same values.
 */
final class JdkStat {
  private JdkStat() {}

  private static final VarHandle MODE;
  private static final VarHandle INO;
  private static final VarHandle DEV;
  private static final VarHandle RDEV;
  private static final VarHandle NLINK;
  private static final VarHandle UID;
  private static final VarHandle GID;
  private static final VarHandle SIZE;
  private static final VarHandle ATIME_SEC;
  private static final VarHandle ATIME_NSEC;
  private static final VarHandle MTIME_SEC;
  private static final VarHandle MTIME_NSEC;
  private static final VarHandle CTIME_SEC;
  private static final VarHandle CTIME_NSEC;
  private static final Class<?> ATTRIBUTES;

  /** {@code UnixFileAttributes.get(UnixPath, boolean follow)}; null when not accessible. */
  private static final MethodHandle GET;

  /** {@code UnixException.errno()}; null when not accessible. */
  private static final MethodHandle ERRNO;

  private static final Class<?> UNIX_PATH;
  private static final Class<?> UNIX_EXCEPTION;

  static {
    VarHandle[] h = new VarHandle[14];
    Class<?> type = null;
    try {
      type = Class.forName("sun.nio.fs.UnixFileAttributes");
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
      String[] names = {
        "st_mode",
        "st_ino",
        "st_dev",
        "st_rdev",
        "st_nlink",
        "st_uid",
        "st_gid",
        "st_size",
        "st_atime_sec",
        "st_atime_nsec",
        "st_mtime_sec",
        "st_mtime_nsec",
        "st_ctime_sec",
        "st_ctime_nsec"
      };
      Class<?>[] types = {
        int.class,
        long.class,
        long.class,
        long.class,
        int.class,
        int.class,
        int.class,
        long.class,
        long.class,
        long.class,
        long.class,
        long.class,
        long.class,
        long.class
      };
      for (int i = 0; i < names.length; i++) {
        h[i] = lookup.findVarHandle(type, names[i], types[i]);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Not opened to us, or another layout: the public API is used instead.
      h = new VarHandle[14];
      type = null;
    }
    MODE = h[0];
    INO = h[1];
    DEV = h[2];
    RDEV = h[3];
    NLINK = h[4];
    UID = h[5];
    GID = h[6];
    SIZE = h[7];
    ATIME_SEC = h[8];
    ATIME_NSEC = h[9];
    MTIME_SEC = h[10];
    MTIME_NSEC = h[11];
    CTIME_SEC = h[12];
    CTIME_NSEC = h[13];
    ATTRIBUTES = type;

    MethodHandle get = null;
    MethodHandle errno = null;
    Class<?> unixPath = null;
    Class<?> unixException = null;
    if (type != null) {
      try {
        unixPath = Class.forName("sun.nio.fs.UnixPath");
        unixException = Class.forName("sun.nio.fs.UnixException");
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        get =
            lookup
                .findStatic(type, "get", MethodType.methodType(type, unixPath, boolean.class))
                .asType(MethodType.methodType(Object.class, Path.class, boolean.class));
        errno =
            lookup
                .findVirtual(unixException, "errno", MethodType.methodType(int.class))
                .asType(MethodType.methodType(int.class, Throwable.class));
      } catch (ReflectiveOperationException | RuntimeException e) {
        get = null;
        errno = null;
      }
    }
    GET = get;
    ERRNO = errno;
    UNIX_PATH = unixPath;
    UNIX_EXCEPTION = unixException;
  }

  /** True when {@link #lstat} can be used. */
  static boolean available() {
    return ATTRIBUTES != null;
  }

  /**
   * lstat(2) of {@code path}, or null when this path's attributes are not the JDK's Unix ones
   * (another file system provider).
   */
  static FileStat lstat(Path path) throws IOException {
    if (path.getFileSystem() != FileSystems.getDefault()) {
      return null;
    }
    Object a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (a.getClass() != ATTRIBUTES) {
      return null;
    }
    return fromAttributes(a);
  }

  private static FileStat fromAttributes(Object a) {
    return new FileStat(
        (int) MODE.get(a),
        (int) UID.get(a),
        (int) GID.get(a),
        (long) SIZE.get(a),
        (long) INO.get(a),
        (long) DEV.get(a),
        (long) RDEV.get(a),
        (int) NLINK.get(a),
        nanos((long) ATIME_SEC.get(a), (long) ATIME_NSEC.get(a)),
        nanos((long) MTIME_SEC.get(a), (long) MTIME_NSEC.get(a)),
        nanos((long) CTIME_SEC.get(a), (long) CTIME_NSEC.get(a)));
  }

  /**
   * lstat(2) of {@code path}: the stat, {@link Optional#empty()} when nothing exists there (ENOENT,
   * or ENOTDIR for a parent that is not a directory), or null when this cannot be answered here
   * (another file system provider, or the JDK's internals are not accessible). A missing path costs
   * no exception with a stack trace: the JDK's internal {@code UnixException} has none.
   */
  static Optional<FileStat> lstatOrMissing(Path path) throws IOException {
    if (GET == null || path.getClass() != UNIX_PATH) {
      return null;
    }
    Object a;
    try {
      a = GET.invokeExact(path, false);
    } catch (Throwable t) {
      if (UNIX_EXCEPTION.isInstance(t)) {
        int errno;
        try {
          errno = (int) ERRNO.invokeExact(t);
        } catch (Throwable unexpected) {
          throw new IllegalStateException(unexpected);
        }
        if (Errno.isMissingPath(errno)) {
          return Optional.empty();
        }
        return Optional.of(lstatOrThrow(path));
      }
      if (t instanceof RuntimeException r) {
        throw r;
      }
      if (t instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(t);
    }
    return Optional.of(fromAttributes(a));
  }

  /** Any other failure is reported by the public API, with the JDK's usual exception and text. */
  private static FileStat lstatOrThrow(Path path) throws IOException {
    FileStat st = lstat(path);
    if (st == null) {
      throw new IllegalStateException("not a Unix path: " + path);
    }
    return st;
  }

  /** Nanoseconds since the epoch, saturated as {@code FileTime.to(NANOSECONDS)} does. */
  private static long nanos(long sec, long nsec) {
    try {
      return Math.addExact(Math.multiplyExact(sec, 1_000_000_000L), nsec);
    } catch (ArithmeticException e) {
      return sec < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
