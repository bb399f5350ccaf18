package dev.umoci.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.umoci.sys.ErrnoException;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link PosixFs} through JNA direct mapping of the C library. Linux only. */
final class NativePosixFs implements PosixFs {
  static final NativePosixFs INSTANCE = new NativePosixFs();

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;

  private NativePosixFs() {}

  /** Direct-mapped libc; paths and names are NUL-terminated byte arrays. */
  private static final class LibC {
    static {
      Native.register(Platform.C_LIBRARY_NAME);
    }

    static native int lchown(byte[] path, int uid, int gid) throws LastErrorException;

    static native int unlink(byte[] path) throws LastErrorException;

    static native int rmdir(byte[] path) throws LastErrorException;

    static native int chmod(byte[] path, int mode) throws LastErrorException;

    static native int mknod(byte[] path, int mode, long dev) throws LastErrorException;

    static native int mkfifo(byte[] path, int mode) throws LastErrorException;

    static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags)
        throws LastErrorException;

    static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size)
        throws LastErrorException;

    static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

    static native int lremovexattr(byte[] path, byte[] name) throws LastErrorException;

    static native int symlink(byte[] target, byte[] linkpath) throws LastErrorException;

    static native long readlink(byte[] path, byte[] buf, long size) throws LastErrorException;

    static native int utimensat(int dirfd, byte[] path, long[] times, int flags)
        throws LastErrorException;
  }

  /**
   * The attributes lstat needs, named one by one: {@code unix:*} would include {@code owner} and
   * {@code group}, whose user and group name lookups read /etc/passwd and /etc/group on every call.
   */
  private static final String LSTAT_ATTRIBUTES =
      "unix:mode,uid,gid,size,ino,dev,rdev,nlink,lastAccessTime,lastModifiedTime,ctime";

  @Override
  public FileStat lstat(Path path) throws IOException {
    if (JdkStat.available()) {
      FileStat fast = JdkStat.lstat(path);
      if (fast != null) {
        return fast;
      }
    }
    return lstatByAttributes(path);
  }

  @Override
  public FileStat lstatOrNull(Path path) throws IOException {
    if (JdkStat.available()) {
      Optional<FileStat> fast = JdkStat.lstatOrMissing(path);
      if (fast != null) {
        return fast.orElse(null);
      }
    }
    return PosixFs.super.lstatOrNull(path);
  }

  @Override
  public void unlink(Path path) throws IOException {
    try {
      LibC.unlink(c(path));
    } catch (LastErrorException e) {
      throw fail("unlink", path, e);
    }
  }

  @Override
  public void rmdir(Path path) throws IOException {
    try {
      LibC.rmdir(c(path));
    } catch (LastErrorException e) {
      throw fail("rmdir", path, e);
    }
  }

  /** lstat through the public attribute API; {@link JdkStat} gives the same values faster. */
  static FileStat lstatByAttributes(Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, LSTAT_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    return new FileStat(
        (Integer) a.get("mode"),
        (Integer) a.get("uid"),
        (Integer) a.get("gid"),
        (Long) a.get("size"),
        (Long) a.get("ino"),
        (Long) a.get("dev"),
        (Long) a.get("rdev"),
        (Integer) a.get("nlink"),
        nanos((FileTime) a.get("lastAccessTime")),
        nanos((FileTime) a.get("lastModifiedTime")),
        nanos((FileTime) a.get("ctime")));
  }

  private static long nanos(FileTime t) {
    return t == null ? 0 : t.to(TimeUnit.NANOSECONDS);
  }

  @Override
  public void lchown(Path path, int uid, int gid) throws IOException {
    byte[] p = c(path);
    try {
      LibC.lchown(p, uid, gid);
    } catch (LastErrorException e) {
      throw fail("lchown", path, e);
    }
  }

  @Override
  public void chmod(Path path, int mode) throws IOException {
    try {
      LibC.chmod(c(path), mode & 07777);
    } catch (LastErrorException e) {
      throw fail("chmod", path, e);
    }
  }

  @Override
  public void mknod(Path path, int type, int permissions, long major, long minor)
      throws IOException {
    if (type != FileStat.S_IFCHR && type != FileStat.S_IFBLK) {
      throw new IllegalArgumentException("mknod type must be S_IFCHR or S_IFBLK");
    }
    try {
      LibC.mknod(c(path), type | (permissions & 07777), FileStat.makedev(major, minor));
    } catch (LastErrorException e) {
      throw fail("mknod", path, e);
    }
  }

  @Override
  public void mkfifo(Path path, int permissions) throws IOException {
    try {
      LibC.mkfifo(c(path), permissions & 07777);
    } catch (LastErrorException e) {
      throw fail("mkfifo", path, e);
    }
  }

  @Override
  public void setXattr(Path path, String name, byte[] value) throws IOException {
    try {
      LibC.lsetxattr(c(path), name(name), value, value.length, 0);
    } catch (LastErrorException e) {
      throw fail("lsetxattr " + name, path, e);
    }
  }

  @Override
  public byte[] getXattr(Path path, String name) throws IOException {
    byte[] p = c(path);
    byte[] n = name(name);
    while (true) {
      long size;
      try {
        size = LibC.lgetxattr(p, n, null, 0);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == ErrnoException.ENODATA
            || e.getErrorCode() == ErrnoException.ENOTSUP) {
          return null;
        }
        throw fail("lgetxattr " + name, path, e);
      }
      byte[] buf = new byte[(int) size];
      try {
        long got = LibC.lgetxattr(p, n, buf, buf.length);
        return got == buf.length ? buf : java.util.Arrays.copyOf(buf, (int) got);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == 34 /* ERANGE: grew meanwhile */) {
          continue;
        }
        if (e.getErrorCode() == ErrnoException.ENODATA) {
          return null;
        }
        throw fail("lgetxattr " + name, path, e);
      }
    }
  }

  @Override
  public List<String> listXattrs(Path path) throws IOException {
    byte[] p = c(path);
    while (true) {
      long size;
      try {
        size = LibC.llistxattr(p, null, 0);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == ErrnoException.ENOTSUP) {
          return List.of();
        }
        throw fail("llistxattr", path, e);
      }
      if (size == 0) {
        return List.of();
      }
      byte[] buf = new byte[(int) size];
      long got;
      try {
        got = LibC.llistxattr(p, buf, buf.length);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == 34) {
          continue;
        }
        throw fail("llistxattr", path, e);
      }
      List<String> names = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < got; i++) {
        if (buf[i] == 0) {
          if (i > start) {
            names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
          }
          start = i + 1;
        }
      }
      return names;
    }
  }

  @Override
  public void removeXattr(Path path, String name) throws IOException {
    try {
      LibC.lremovexattr(c(path), name(name));
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ErrnoException.ENODATA) {
        return;
      }
      throw fail("lremovexattr " + name, path, e);
    }
  }

  @Override
  public void setTimes(Path path, long atimeNanos, long mtimeNanos) throws IOException {
    long[] times = {
      Math.floorDiv(atimeNanos, 1_000_000_000L), Math.floorMod(atimeNanos, 1_000_000_000L),
      Math.floorDiv(mtimeNanos, 1_000_000_000L), Math.floorMod(mtimeNanos, 1_000_000_000L)
    };
    try {
      LibC.utimensat(AT_FDCWD, c(path), times, AT_SYMLINK_NOFOLLOW);
    } catch (LastErrorException e) {
      throw fail("utimensat", path, e);
    }
  }

  @Override
  public void symlink(byte[] target, Path link) throws IOException {
    try {
      LibC.symlink(PathBytes.cString(target), c(link));
    } catch (LastErrorException e) {
      throw fail("symlink", link, e);
    }
  }

  @Override
  public byte[] readlink(Path link) throws IOException {
    byte[] p = c(link);
    int size = 256;
    while (true) {
      byte[] buf = new byte[size];
      long n;
      try {
        n = LibC.readlink(p, buf, buf.length);
      } catch (LastErrorException e) {
        throw fail("readlink", link, e);
      }
      if (n < buf.length) {
        return java.util.Arrays.copyOf(buf, (int) n);
      }
      size *= 4;
    }
  }

  private static byte[] c(Path path) {
    return PathBytes.cString(PathBytes.of(path));
  }

  private static byte[] name(String xattrName) {
    return PathBytes.cString(xattrName.getBytes(StandardCharsets.UTF_8));
  }

  private static ErrnoException fail(String call, Path path, LastErrorException e) {
    int errno = e.getErrorCode();
    String reason = e.getMessage();
    int bracket = reason == null ? -1 : reason.indexOf("] ");
    if (bracket >= 0) {
      reason = reason.substring(bracket + 2);
    }
    return new ErrnoException(call, path.toString(), errno, reason + " (errno " + errno + ")");
  }
}
