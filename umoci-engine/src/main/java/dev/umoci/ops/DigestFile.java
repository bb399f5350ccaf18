package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.UmociException;
import dev.umoci.oci.layout.AtomicFile;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * skopeo's {@code --digestfile}: the digest of what a copy stored at its destination, written as
 * {@code sha256:<hex>} without a newline (as skopeo writes it), mode {@code 0644}. The file is
 * replaced atomically ({@link AtomicFile}): a reader sees the old file or the whole digest.
 */
final class DigestFile {
  private DigestFile() {}

  /** Fails, before any copying, when {@code file}'s directory does not exist. */
  static void check(Path file) throws InvalidArgumentException {
    Path dir = file.toAbsolutePath().getParent();
    if (Files.isDirectory(file) || dir == null || !Files.isDirectory(dir)) {
      throw new InvalidArgumentException(
          "--digestfile "
              + file
              + ": "
              + (Files.isDirectory(file) ? "is a directory" : "its directory does not exist"));
    }
  }

  /** Writes {@code digest} to {@code file}. */
  static void write(Path file, Digest digest) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    try {
      AtomicFile.replace(
          file,
          digest.toString().getBytes(StandardCharsets.US_ASCII),
          dir,
          "." + file.getFileName() + ".",
          temp ->
              Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--")));
    } catch (IOException e) {
      throw new UmociException(
          "cannot write --digestfile " + file + " (the copy of " + digest + " is done): " + e, e);
    }
  }
}
