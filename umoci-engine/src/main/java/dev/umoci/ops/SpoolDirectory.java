package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a copy between two registries keeps the image on its way (which can be gigabytes): {@code
 * $TMPDIR} when set, else {@code /var/tmp}, else the JVM's {@code java.io.tmpdir}. This is the
 * choice skopeo makes for its big temporary files (containers/image's "temporary directory for big
 * files", without a containers.conf), and it keeps such spools off {@code /tmp}, which is often a
 * RAM-backed tmpfs. The JVM itself ignores {@code TMPDIR}.
 */
final class SpoolDirectory {
  private SpoolDirectory() {}

  static final Path VAR_TMP = Path.of("/var/tmp");

  /**
   * The directory to create the spool in, for the environment {@code env}.
   *
   * @throws InvalidArgumentException when {@code TMPDIR} names no directory
   */
  static Path parent(Map<String, String> env) throws InvalidArgumentException {
    String tmpdir = env.get("TMPDIR");
    if (tmpdir != null && !tmpdir.isEmpty()) {
      Path dir = Path.of(tmpdir);
      if (!Files.isDirectory(dir)) {
        throw new InvalidArgumentException(
            "TMPDIR="
                + tmpdir
                + ": no such directory (a copy between registries keeps the image there on its"
                + " way)");
      }
      return dir;
    }
    if (Files.isDirectory(VAR_TMP) && Files.isWritable(VAR_TMP)) {
      return VAR_TMP;
    }
    return Path.of(System.getProperty("java.io.tmpdir"));
  }
}
