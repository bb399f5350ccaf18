package dev.umoci.fs;

import dev.umoci.errors.UnsafeArchiveEntryException;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Resolves a path inside a root directory as if the root were {@code /}: every symlink met is
 * followed but confined (an absolute target restarts at the root, {@code ..} stops at the root),
 * and components that do not exist are appended lexically. The result always lies inside the root.
 *
 * <p>This follows every component, including the last. Callers that must not follow the final
 * component (extraction) resolve the parent with {@link #join} and append the last name themselves.
 * Names are handled as {@link Path} components, so non-UTF-8 bytes survive.
 */
public final class SecureJoin {
  /** Same bound as the kernel's and filepath-securejoin's. */
  private static final int MAX_SYMLINKS = 255;

  private SecureJoin() {}

  /** Resolves {@code unsafe} (relative or absolute, any {@code ..}) inside {@code root}. */
  public static Path join(Path root, Path unsafe) throws IOException {
    return join(root, unsafe, symlink -> {});
  }

  /**
   * {@link #join(Path, Path)}, telling {@code followed} the path (inside the root, as met) of every
   * symlink it follows, in order.
   */
  public static Path join(Path root, Path unsafe, Consumer<Path> followed) throws IOException {
    Deque<Path> remaining = new ArrayDeque<>();
    pushFront(remaining, unsafe);
    List<Path> resolved = new ArrayList<>();
    int links = 0;
    while (!remaining.isEmpty()) {
      Path name = remaining.pollFirst();
      String text = name.toString();
      if (text.isEmpty() || text.equals(".")) {
        continue;
      }
      if (text.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      Path candidate = resolve(root, resolved).resolve(name);
      if (!isSymlink(candidate)) {
        resolved.add(name);
        continue;
      }
      if (++links > MAX_SYMLINKS) {
        throw new UnsafeArchiveEntryException(
            "too many levels of symbolic links resolving " + unsafe + " inside " + root);
      }
      followed.accept(candidate);
      Path target = Files.readSymbolicLink(candidate);
      if (target.isAbsolute()) {
        resolved.clear();
      }
      pushFront(remaining, target);
    }
    return resolve(root, resolved);
  }

  /** Cleans {@code unsafe} lexically into a relative path ({@code ..} stops at the top). */
  public static Path clean(Path unsafe) {
    Path out = Path.of("");
    for (byte[] part : PathBytes.cleanComponents(PathBytes.of(unsafe))) {
      out = out.resolve(PathBytes.fromBytes(part));
    }
    return out;
  }

  private static boolean isSymlink(Path path) throws IOException {
    // A missing path (ENOENT, or ENOTDIR for a parent that is not a directory) is no symlink.
    FileStat st = PosixFs.host().lstatOrNull(path);
    return st != null && st.isSymlink();
  }

  private static void pushFront(Deque<Path> deque, Path path) {
    List<Path> names = new ArrayList<>();
    path.forEach(names::add);
    for (int i = names.size() - 1; i >= 0; i--) {
      deque.addFirst(names.get(i));
    }
  }

  private static Path resolve(Path base, List<Path> names) {
    Path out = base;
    for (Path name : names) {
      out = out.resolve(name);
    }
    return out;
  }
}
