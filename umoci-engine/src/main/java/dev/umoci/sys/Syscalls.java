package dev.umoci.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The system calls the engine makes itself, on byte paths ({@link PathBytes#of}): names that the
 * locale's charset cannot represent reach the kernel unchanged. Each method does exactly the call
 * it names (plus the retry a size-probing call needs) and reports failure as an {@link
 * ErrnoException} whose {@link ErrnoException#errno()} callers compare with {@link Errno}; what a
 * given errno means for the caller is the caller's decision.
 */
public final class Syscalls {
  private Syscalls() {}

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 02000000;
  private static final int SYNC_FILE_RANGE_WRITE = 2;
  private static final int MADV_DONTNEED = 4;

  /** flock(2) operations. */
  public static final int LOCK_SH = 1;

  public static final int LOCK_EX = 2;
  public static final int LOCK_NB = 4;
  public static final int LOCK_UN = 8;

  /** struct statvfs on 64-bit Linux: 11 longs then spare ints; f_flag is the tenth long. */
  private static final int STATVFS_LONGS = 16;

  private static final int F_FLAG_INDEX = 9;

  public static void lchown(Path path, int uid, int gid) throws ErrnoException {
    try {
      LibC.lchown(c(path), uid, gid);
    } catch (LastErrorException e) {
      throw fail("lchown", path, e);
    }
  }

  public static void unlink(Path path) throws ErrnoException {
    try {
      LibC.unlink(c(path));
    } catch (LastErrorException e) {
      throw fail("unlink", path, e);
    }
  }

  public static void rmdir(Path path) throws ErrnoException {
    try {
      LibC.rmdir(c(path));
    } catch (LastErrorException e) {
      throw fail("rmdir", path, e);
    }
  }

  /** chmod(2) with {@code mode}'s 12 permission bits. */
  public static void chmod(Path path, int mode) throws ErrnoException {
    try {
      LibC.chmod(c(path), mode & 07777);
    } catch (LastErrorException e) {
      throw fail("chmod", path, e);
    }
  }

  /**
   * mknod(2); {@code mode} holds the file type bits and the permissions, {@code dev} is a Linux
   * device number (makedev). ENOSYS when this C library offers no way to call it.
   */
  public static void mknod(Path path, int mode, long dev) throws ErrnoException {
    try {
      Mknod.host().mknod(c(path), mode, dev);
    } catch (LastErrorException e) {
      throw fail("mknod", path, e);
    } catch (UnsupportedOperationException e) {
      throw new ErrnoException("mknod", path.toString(), Errno.ENOSYS, e.getMessage());
    }
  }

  public static void mkfifo(Path path, int mode) throws ErrnoException {
    try {
      LibC.mkfifo(c(path), mode & 07777);
    } catch (LastErrorException e) {
      throw fail("mkfifo", path, e);
    }
  }

  /** lsetxattr(2), creating or replacing. */
  public static void lsetxattr(Path path, String name, byte[] value) throws ErrnoException {
    try {
      LibC.lsetxattr(c(path), xattrName(name), value, value.length, 0);
    } catch (LastErrorException e) {
      throw fail("lsetxattr " + name, path, e);
    }
  }

  /** lgetxattr(2): the whole value, however long (retried when it grows meanwhile). */
  public static byte[] lgetxattr(Path path, String name) throws ErrnoException {
    byte[] p = c(path);
    byte[] n = xattrName(name);
    while (true) {
      try {
        long size = LibC.lgetxattr(p, n, null, 0);
        byte[] buf = new byte[(int) size];
        long got = LibC.lgetxattr(p, n, buf, buf.length);
        return got == buf.length ? buf : Arrays.copyOf(buf, (int) got);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Errno.ERANGE) {
          throw fail("lgetxattr " + name, path, e);
        }
      }
    }
  }

  /** llistxattr(2): the attribute names in the kernel's order. */
  public static List<String> llistxattr(Path path) throws ErrnoException {
    byte[] p = c(path);
    while (true) {
      byte[] buf;
      long got;
      try {
        long size = LibC.llistxattr(p, null, 0);
        if (size == 0) {
          return List.of();
        }
        buf = new byte[(int) size];
        got = LibC.llistxattr(p, buf, buf.length);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == Errno.ERANGE) {
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

  public static void lremovexattr(Path path, String name) throws ErrnoException {
    try {
      LibC.lremovexattr(c(path), xattrName(name));
    } catch (LastErrorException e) {
      throw fail("lremovexattr " + name, path, e);
    }
  }

  /** utimensat(2) with AT_SYMLINK_NOFOLLOW; times in nanoseconds since the epoch. */
  public static void lutimes(Path path, long atimeNanos, long mtimeNanos) throws ErrnoException {
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

  /** symlink(2) with the target stored byte for byte. */
  public static void symlink(byte[] target, Path link) throws ErrnoException {
    try {
      LibC.symlink(PathBytes.cString(target), c(link));
    } catch (LastErrorException e) {
      throw fail("symlink", link, e);
    }
  }

  /** readlink(2): the exact target bytes, however long. */
  public static byte[] readlink(Path link) throws ErrnoException {
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
        return Arrays.copyOf(buf, (int) n);
      }
      size *= 4;
    }
  }

  /**
   * The errno lstat(2) of {@code path} would fail with, or 0 when something exists there. For
   * callers whose stat came from the JDK, whose exceptions carry the C library's message but not
   * the errno. Asks readlink(2), which resolves the path exactly as lstat does (the last component
   * not followed) and is exported by every C library, unlike lstat before glibc 2.33.
   */
  public static int lstatErrno(Path path) {
    return lstatErrnoOf(path);
  }

  /**
   * True when lstat(2) of {@code path} would find nothing ({@link Errno#isMissingPath}); for
   * callers whose JDK call failed with an exception that carries no errno.
   */
  public static boolean lstatFindsNothing(Path path) {
    return Errno.isMissingPath(lstatErrnoOf(path));
  }

  private static int lstatErrnoOf(Path path) {
    try {
      LibC.readlink(c(path), new byte[1], 1);
      return 0;
    } catch (LastErrorException e) {
      return e.getErrorCode() == Errno.EINVAL ? 0 : e.getErrorCode();
    }
  }

  /** statvfs(3)'s {@code f_flag} word (ST_RDONLY, ST_NOSUID, …); symlinks are followed. */
  public static long statvfsFlags(Path path) throws ErrnoException {
    if (!Platform.isLinux() || !Platform.is64Bit()) {
      throw new ErrnoException(
          "statvfs", path.toString(), Errno.ENOSYS, "mount flags need 64-bit Linux");
    }
    long[] buf = new long[STATVFS_LONGS];
    try {
      LibC.statvfs(c(path), buf);
    } catch (LastErrorException e) {
      throw fail("statvfs", path, e);
    }
    return buf[F_FLAG_INDEX];
  }

  /** open(2) read-only with O_CLOEXEC (a directory too); the caller closes the descriptor. */
  public static int openReadOnly(Path path) throws ErrnoException {
    try {
      return LibC.open(c(path), O_RDONLY | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw fail("open", path, e);
    }
  }

  /**
   * flock(2) with {@code operation} ({@link #LOCK_EX}, {@link #LOCK_NB}, …).
   *
   * @return false when {@link #LOCK_NB} was given and another open description holds the lock
   */
  public static boolean flock(int fd, int operation, Path what) throws ErrnoException {
    try {
      LibC.flock(fd, operation);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Errno.EWOULDBLOCK && (operation & LOCK_NB) != 0) {
        return false;
      }
      throw fail("flock", what, e);
    }
  }

  /**
   * sync_file_range(2) with SYNC_FILE_RANGE_WRITE over the whole file ({@code fd} may be a
   * read-only descriptor): starts the write-out of the file's dirty pages that are not yet being
   * written, without waiting for it. A hint: it makes nothing durable; fsync still does that.
   */
  public static void startWriteOut(int fd, Path what) throws ErrnoException {
    try {
      LibC.sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    } catch (LastErrorException e) {
      throw fail("sync_file_range", what, e);
    }
  }

  /**
   * fdatasync(2) ({@code fd} may be a read-only descriptor): waits until the file's data written so
   * far, and the metadata needed to read it back, is on stable storage.
   */
  public static void syncData(int fd, Path what) throws ErrnoException {
    try {
      LibC.fdatasync(fd);
    } catch (LastErrorException e) {
      throw fail("fdatasync", what, e);
    }
  }

  /**
   * madvise(2) with MADV_DONTNEED over the whole pages inside {@code mapped}, a read-only mapping
   * of a file: they leave this process's resident set, and a later touch reads them again from the
   * page cache (the file's data is unchanged, and a read-only mapping has nothing to lose), so it
   * is safe while other code, or the kernel on its behalf, still reads the buffer. {@code what}
   * names the file for the error.
   */
  public static void releaseMappedPages(MappedByteBuffer mapped, Path what) throws ErrnoException {
    long page = Page.SIZE;
    long address = Pointer.nativeValue(Native.getDirectBufferPointer(mapped));
    long first = (address + page - 1) / page * page;
    long end = (address + mapped.capacity()) / page * page;
    if (end <= first) {
      return;
    }
    try {
      LibC.madvise(first, end - first, MADV_DONTNEED);
    } catch (LastErrorException e) {
      throw fail("madvise", what, e);
    }
  }

  /** The page size, asked of the C library when first needed (not when this class loads). */
  private static final class Page {
    static final long SIZE = LibC.getpagesize();
  }

  /** close(2); a failure is ignored, as the descriptor is released either way on Linux. */
  public static void closeQuietly(int fd) {
    try {
      LibC.close(fd);
    } catch (LastErrorException ignored) {
      // Linux frees the descriptor even when close reports an error
    }
  }

  private static byte[] c(Path path) {
    return PathBytes.cString(PathBytes.of(path));
  }

  private static byte[] xattrName(String name) {
    return PathBytes.cString(name.getBytes(StandardCharsets.UTF_8));
  }

  /** The exception for a failed call: the C library's text for the errno, and its name. */
  private static ErrnoException fail(String call, Path path, LastErrorException e) {
    int errno = e.getErrorCode();
    String reason = e.getMessage();
    int bracket = reason == null ? -1 : reason.indexOf("] ");
    if (bracket >= 0) {
      reason = reason.substring(bracket + 2);
    }
    return new ErrnoException(
        call, path.toString(), errno, reason + " (" + Errno.name(errno) + ", errno " + errno + ")");
  }
}
