package dev.umoci.sys;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes a directory tree without following symlinks: the one implementation of {@code rm -rf} in
 * the engine. It sits in the native layer so that the layout (which is below {@code fs}) can use it
 * too; callers above supply their own calls (for example {@code fs}'s rootless decorator) and a
 * hook to forget what they cached about a directory.
 *
 * <p>With {@code grantOwnerAccess}, a directory lacking owner read, write or search permission is
 * given them before its entries are removed, so that an unprivileged user can remove a rootfs it
 * extracted (distribution images have such directories; {@code rm -rf} fails on them). A path that
 * vanishes meanwhile is not an error.
 */
public final class TreeRemover {
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;

  /** The calls the remover makes; {@link #SYSCALLS} makes them directly. */
  public interface Calls {
    /** lstat's {@code st_mode} of {@code path}, or -1 when nothing is there. */
    int modeOrMissing(Path path) throws IOException;

    void chmod(Path path, int mode) throws IOException;

    void unlink(Path path) throws IOException;

    void rmdir(Path path) throws IOException;
  }

  /** Called for each directory before its entries are removed. */
  public interface DirectoryHook {
    void beforeRemoving(Path dir) throws IOException;
  }

  /** The calls straight to the system: lstat through the JDK, the rest through {@link Syscalls}. */
  public static final Calls SYSCALLS =
      new Calls() {
        @Override
        public int modeOrMissing(Path path) throws IOException {
          try {
            return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
          } catch (NoSuchFileException e) {
            return -1;
          } catch (java.nio.file.FileSystemException e) {
            if (Syscalls.lstatFindsNothing(path)) {
              return -1;
            }
            throw e;
          }
        }

        @Override
        public void chmod(Path path, int mode) throws IOException {
          Syscalls.chmod(path, mode);
        }

        @Override
        public void unlink(Path path) throws IOException {
          Syscalls.unlink(path);
        }

        @Override
        public void rmdir(Path path) throws IOException {
          Syscalls.rmdir(path);
        }
      };

  private final Calls calls;
  private final boolean grantOwnerAccess;
  private final DirectoryHook hook;

  public TreeRemover(Calls calls, boolean grantOwnerAccess, DirectoryHook hook) {
    this.calls = calls;
    this.grantOwnerAccess = grantOwnerAccess;
    this.hook = hook;
  }

  /** Direct system calls, owner access granted where missing, no hook. */
  public static TreeRemover direct() {
    return new TreeRemover(SYSCALLS, true, dir -> {});
  }

  /** Removes {@code path} and everything below it; a missing path is not an error. */
  public void remove(Path path) throws IOException {
    remove(path, calls.modeOrMissing(path));
  }

  /** {@link #remove(Path)} when the caller already has the path's {@code st_mode} (-1: missing). */
  public void remove(Path path, int mode) throws IOException {
    if (mode < 0) {
      return;
    }
    try {
      if ((mode & S_IFMT) == S_IFDIR) {
        hook.beforeRemoving(path);
        if (grantOwnerAccess && (mode & 0700) != 0700) {
          calls.chmod(path, (mode & 07777) | 0700);
        }
        for (Path child : list(path)) {
          remove(child);
        }
        calls.rmdir(path);
      } else {
        calls.unlink(path);
      }
    } catch (ErrnoException e) {
      if (e.errno() != Errno.ENOENT) {
        throw e;
      }
    } catch (NoSuchFileException e) {
      // removed meanwhile: nothing left to do
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(out::add);
    }
    return out;
  }
}
