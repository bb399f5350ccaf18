package dev.umoci.bundle;

import dev.umoci.oci.layout.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Crash-safe replacement of bundle files ({@link AtomicFile} does it): the temporary is made in the
 * target's directory and made {@code 0644} (what Go's {@code os.Create} gives under the usual
 * umask) before it is renamed over the target.
 */
final class AtomicFiles {
  private AtomicFiles() {}

  static void write(Path target, byte[] content) throws IOException {
    AtomicFile.replace(
        target,
        content,
        target.toAbsolutePath().getParent(),
        "." + target.getFileName() + ".",
        temp -> Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--")));
  }
}
