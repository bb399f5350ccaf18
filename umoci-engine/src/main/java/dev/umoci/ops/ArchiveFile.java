package dev.umoci.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * A file written beside its final name and renamed into place once complete, so that a failed write
 * leaves the old file (or none). Unlike {@link Files#createTempFile}, whose files are always 0600,
 * the temporary is created as {@code open(O_CREAT, 0666)} is, so the archive's mode follows the
 * umask like any other build output.
 */
final class ArchiveFile implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private boolean published;

  private ArchiveFile(Path target, Path temp) {
    this.target = target;
    this.temp = temp;
  }

  /** Creates the temporary file for {@code target} (and {@code target}'s parent directories). */
  static ArchiveFile create(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    for (int attempt = 0; ; attempt++) {
      Path temp =
          absolute.resolveSibling(".umoci-" + absolute.getFileName() + "-" + UUID.randomUUID());
      try {
        Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW).close();
        return new ArchiveFile(absolute, temp);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 10) {
          throw e;
        }
      }
    }
  }

  /** The temporary file: write here. */
  Path temp() {
    return temp;
  }

  /** Opens the temporary file for writing (truncating it). */
  OutputStream open() throws IOException {
    return Files.newOutputStream(temp);
  }

  /** Renames the temporary file onto the target, replacing it. */
  void publish() throws IOException {
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    published = true;
  }

  /** Removes the temporary file unless it was published. */
  @Override
  public void close() throws IOException {
    if (!published) {
      Files.deleteIfExists(temp);
    }
  }
}
