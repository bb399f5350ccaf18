package dev.umoci.fs;

import dev.umoci.sys.Errno;
import dev.umoci.sys.ErrnoException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Helpers for unprivileged users working on trees they own but whose directories may lack owner
 * permissions (a layer may ship {@code dr-xr-xr-x} directories). Like umoci's pkg/unpriv: when an
 * operation fails with EACCES, the nearest reachable ancestor and every directory below it up to
 * the target's parent get {@code u+rwx} for the duration of a retry, then their modes and times are
 * restored.
 */
public final class Unpriv {
  private Unpriv() {}

  /** An I/O action on a path. */
  @FunctionalInterface
  public interface Action<T> {
    T run() throws IOException;
  }

  /** Runs {@code action}; on EACCES retries it with the ancestors of {@code path} opened up. */
  public static <T> T wrap(PosixFs fs, Path path, Action<T> action) throws IOException {
    try {
      return action.run();
    } catch (AccessDeniedException e) {
      return retry(fs, path, action, e);
    } catch (ErrnoException e) {
      if (e.errno() != Errno.EACCES) {
        throw e;
      }
      return retry(fs, path, action, e);
    }
  }

  private static <T> T retry(PosixFs fs, Path path, Action<T> action, IOException original)
      throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent == null) {
      throw original;
    }
    List<Path> chain = new ArrayList<>();
    for (Path p = parent; p != null; p = p.getParent()) {
      chain.add(0, p);
    }
    int start = chain.size() - 1;
    while (start > 0 && !canLstat(fs, chain.get(start))) {
      start--;
    }
    Deque<Object[]> restore = new ArrayDeque<>();
    try {
      for (int i = start; i < chain.size(); i++) {
        Path dir = chain.get(i);
        FileStat st = fs.lstat(dir);
        if (!st.isDirectory()) {
          throw original;
        }
        if ((st.permissions() & 0700) != 0700) {
          fs.chmod(dir, st.permissions() | 0700);
          restore.push(new Object[] {dir, st});
        }
      }
      if (restore.isEmpty()) {
        throw original;
      }
      return action.run();
    } finally {
      while (!restore.isEmpty()) {
        Object[] r = restore.pop();
        Path dir = (Path) r[0];
        FileStat st = (FileStat) r[1];
        fs.chmod(dir, st.permissions());
        fs.setTimes(dir, st.atimeNanos(), st.mtimeNanos());
      }
    }
  }

  private static boolean canLstat(PosixFs fs, Path p) {
    try {
      fs.lstat(p);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
