package dev.umoci.fs;

import dev.umoci.sys.ErrnoException;
import dev.umoci.sys.PathBytes;
import dev.umoci.sys.Syscalls;
import dev.umoci.sys.TreeRemover;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The POSIX file operations the JDK lacks or cannot do without following symlinks. No method
 * follows a symlink in the last path component. Failures are {@link ErrnoException}s.
 */
public interface PosixFs {

  /** lstat(2). */
  FileStat lstat(Path path) throws IOException;

  /**
   * lstat(2), or null when nothing exists at {@code path} (ENOENT, or ENOTDIR for a parent that is
   * not a directory). Implementations answer a missing path without building an exception where
   * they can: extraction asks this for most paths it creates.
   */
  default FileStat lstatOrNull(Path path) throws IOException {
    try {
      return lstat(path);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    } catch (ErrnoException e) {
      if (e.isMissingPath()) {
        return null;
      }
      throw e;
    } catch (java.nio.file.FileSystemException e) {
      // The JDK's exception carries the C library's (translated) message, not the errno: ask.
      if (Syscalls.lstatFindsNothing(path)) {
        return null;
      }
      throw e;
    }
  }

  /**
   * unlink(2): removes a non-directory (a symlink itself, never its target). Unlike {@link
   * java.nio.file.Files#delete} it does not lstat the path first.
   */
  default void unlink(Path path) throws IOException {
    java.nio.file.Files.delete(path);
  }

  /** rmdir(2): removes an empty directory. */
  default void rmdir(Path path) throws IOException {
    java.nio.file.Files.delete(path);
  }

  /** lchown(2): change owner without following a final symlink. */
  void lchown(Path path, int uid, int gid) throws IOException;

  /** chmod(2) with all 12 permission bits (setuid, setgid, sticky included). Not for symlinks. */
  void chmod(Path path, int mode) throws IOException;

  /** mknod(2) for character or block devices; {@code type} is S_IFCHR or S_IFBLK. */
  void mknod(Path path, int type, int permissions, long major, long minor) throws IOException;

  /** mkfifo(3). */
  void mkfifo(Path path, int permissions) throws IOException;

  /** lsetxattr(2) with a binary value, any namespace. */
  void setXattr(Path path, String name, byte[] value) throws IOException;

  /** lgetxattr(2); null when the attribute does not exist. */
  byte[] getXattr(Path path, String name) throws IOException;

  /** llistxattr(2); empty when the filesystem has none or does not support xattrs. */
  List<String> listXattrs(Path path) throws IOException;

  /** lremovexattr(2); absent attributes are not an error. */
  void removeXattr(Path path, String name) throws IOException;

  /** utimensat(2) with AT_SYMLINK_NOFOLLOW; times in nanoseconds since the epoch. */
  void setTimes(Path path, long atimeNanos, long mtimeNanos) throws IOException;

  /**
   * symlink(2) with the target stored byte for byte (no normalisation of {@code //} or a trailing
   * {@code /}, unlike {@link java.nio.file.Files#createSymbolicLink}).
   */
  default void symlink(byte[] target, Path link) throws IOException {
    java.nio.file.Files.createSymbolicLink(link, PathBytes.fromBytes(target));
  }

  /** readlink(2): the exact target bytes of the symlink {@code link}. */
  default byte[] readlink(Path link) throws IOException {
    return PathBytes.of(java.nio.file.Files.readSymbolicLink(link));
  }

  /**
   * The decorator for unprivileged (rootless) use: an operation refused with EACCES because a
   * parent directory lacks owner permissions is retried after temporarily granting them (see {@link
   * Unpriv}).
   */
  static PosixFs rootless(PosixFs fs) {
    return fs instanceof RootlessPosixFs ? fs : new RootlessPosixFs(fs);
  }

  /**
   * A tree remover making its calls through this filesystem (so through the rootless decorator when
   * this is one), with the fast lstat.
   */
  default TreeRemover treeRemover(boolean grantOwnerAccess, TreeRemover.DirectoryHook hook) {
    PosixFs self = this;
    return new TreeRemover(
        new TreeRemover.Calls() {
          @Override
          public int modeOrMissing(Path path) throws IOException {
            FileStat st = self.lstatOrNull(path);
            return st == null ? -1 : st.mode();
          }

          @Override
          public void chmod(Path path, int mode) throws IOException {
            self.chmod(path, mode);
          }

          @Override
          public void unlink(Path path) throws IOException {
            self.unlink(path);
          }

          @Override
          public void rmdir(Path path) throws IOException {
            self.rmdir(path);
          }
        },
        grantOwnerAccess,
        hook);
  }

  /** The implementation for this host: native calls through JNA. */
  static PosixFs host() {
    return NativePosixFs.INSTANCE;
  }
}
