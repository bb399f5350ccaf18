package dev.umoci.fs;

import dev.umoci.sys.Errno;
import dev.umoci.sys.ErrnoException;
import dev.umoci.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link PosixFs} on the host: lstat through the JDK (see {@link JdkStat}), everything else through
 * the C library's calls in {@link Syscalls}. Linux only.
 */
final class NativePosixFs implements PosixFs {
  static final NativePosixFs INSTANCE = new NativePosixFs();

  private NativePosixFs() {}

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
    try {
      return lstatByAttributes(path);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    } catch (java.nio.file.FileSystemException e) {
      // The JDK's exception has the C library's (translated) message but no errno: ask for it.
      if (Syscalls.lstatFindsNothing(path)) {
        return null;
      }
      throw e;
    }
  }

  @Override
  public void unlink(Path path) throws IOException {
    Syscalls.unlink(path);
  }

  @Override
  public void rmdir(Path path) throws IOException {
    Syscalls.rmdir(path);
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
    Syscalls.lchown(path, uid, gid);
  }

  @Override
  public void chmod(Path path, int mode) throws IOException {
    Syscalls.chmod(path, mode);
  }

  @Override
  public void mknod(Path path, int type, int permissions, long major, long minor)
      throws IOException {
    if (type != FileStat.S_IFCHR && type != FileStat.S_IFBLK) {
      throw new IllegalArgumentException("mknod type must be S_IFCHR or S_IFBLK");
    }
    Syscalls.mknod(path, type | (permissions & 07777), FileStat.makedev(major, minor));
  }

  @Override
  public void mkfifo(Path path, int permissions) throws IOException {
    Syscalls.mkfifo(path, permissions);
  }

  @Override
  public void setXattr(Path path, String name, byte[] value) throws IOException {
    Syscalls.lsetxattr(path, name, value);
  }

  @Override
  public byte[] getXattr(Path path, String name) throws IOException {
    try {
      return Syscalls.lgetxattr(path, name);
    } catch (ErrnoException e) {
      if (e.errno() == Errno.ENODATA || e.errno() == Errno.ENOTSUP) {
        return null;
      }
      throw e;
    }
  }

  @Override
  public List<String> listXattrs(Path path) throws IOException {
    try {
      return Syscalls.llistxattr(path);
    } catch (ErrnoException e) {
      if (e.errno() == Errno.ENOTSUP) {
        return List.of();
      }
      throw e;
    }
  }

  @Override
  public void removeXattr(Path path, String name) throws IOException {
    try {
      Syscalls.lremovexattr(path, name);
    } catch (ErrnoException e) {
      if (e.errno() != Errno.ENODATA) {
        throw e;
      }
    }
  }

  @Override
  public void setTimes(Path path, long atimeNanos, long mtimeNanos) throws IOException {
    Syscalls.lutimes(path, atimeNanos, mtimeNanos);
  }

  @Override
  public void symlink(byte[] target, Path link) throws IOException {
    Syscalls.symlink(target, link);
  }

  @Override
  public byte[] readlink(Path link) throws IOException {
    return Syscalls.readlink(link);
  }
}
