package dev.umoci.layer;

import dev.umoci.fs.PosixFs;
import dev.umoci.fs.Unpriv;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How extraction reaches the file system in rootless mode: each file operation runs through {@link
 * Unpriv} (which grants the owner access to a directory it was denied and retries) when {@code
 * --rootless} is on, and directly otherwise. Also says whether devices can be made: not in rootless
 * mode, nor inside a user namespace that does not map every id (where {@code mknod} fails even for
 * "root").
 */
final class RootlessIo {
  private static final boolean IN_USER_NAMESPACE = detectUserNamespace();

  private final PosixFs fs;
  private final boolean rootless;

  RootlessIo(PosixFs fs, boolean rootless) {
    this.fs = fs;
    this.rootless = rootless;
  }

  /** Whether {@code --rootless} is on. */
  boolean rootless() {
    return rootless;
  }

  /**
   * Whether some privileged operations are impossible (rootless, or an incomplete user namespace):
   * devices become empty files, owners are kept where they cannot be set.
   */
  boolean partial() {
    return rootless || IN_USER_NAMESPACE;
  }

  /** Runs {@code action} on {@code path}, through {@link Unpriv} when rootless. */
  <T> T run(Path path, Unpriv.Action<T> action) throws IOException {
    return rootless ? Unpriv.wrap(fs, path, action) : action.run();
  }

  /** The entries of {@code dir}. */
  List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = run(dir, () -> Files.newDirectoryStream(dir))) {
      ds.forEach(out::add);
    }
    return out;
  }

  private static boolean detectUserNamespace() {
    try {
      String map = Files.readString(Path.of("/proc/self/uid_map")).trim();
      return !map.matches("0\\s+0\\s+4294967295");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
