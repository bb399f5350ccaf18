package dev.umoci.oci.layout;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New temporary files and directories inside a layout (or a bundle) with the permissions {@link
 * Files#createTempFile} and {@link Files#createTempDirectory} give (0600, 0700), without their
 * {@code SecureRandom}: its first use seeds it and sets up the security providers, a cost every
 * {@code tag}, {@code config} or {@code rm} paid at start for a name.
 *
 * <p>Why a non-cryptographic name is safe here: the name only has to be unused. Each is made with
 * {@link Files#createFile} ({@code O_CREAT|O_EXCL}) or {@link Files#createDirectory} ({@code
 * mkdir}), which fail when the name exists, so a collision with another writer, a stale temporary
 * or a name planted by someone else is only another attempt with a new name, never a file or
 * directory shared with anyone or made by anyone else; no symlink is followed at the new name.
 * Whoever can plant names in these directories can already replace the files we rename into place,
 * so guessing our names gains them nothing beyond making us try again. {@link ThreadLocalRandom}
 * (seeded from the clock, no entropy source) makes collisions between processes unlikely, and the
 * attempts are bounded.
 */
public final class TempNames {
  private TempNames() {}

  private static final int ATTEMPTS = 100;
  private static final FileAttribute<?> FILE =
      PosixFilePermissions.asFileAttribute(
          EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
  private static final FileAttribute<?> DIRECTORY =
      PosixFilePermissions.asFileAttribute(
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));

  /** A new empty file {@code <prefix><random><suffix>} in {@code dir}, mode 0600 (less umask). */
  public static Path createFile(Path dir, String prefix, String suffix) throws IOException {
    for (int i = 0; ; i++) {
      Path candidate = dir.resolve(name(prefix, suffix));
      try {
        return Files.createFile(candidate, FILE);
      } catch (FileAlreadyExistsException e) {
        if (i == ATTEMPTS) {
          throw new IOException(dir + ": no unused temporary name after " + ATTEMPTS + " tries", e);
        }
      }
    }
  }

  /** A new empty directory {@code <prefix><random>} in {@code dir}, mode 0700 (less umask). */
  public static Path createDirectory(Path dir, String prefix) throws IOException {
    for (int i = 0; ; i++) {
      Path candidate = dir.resolve(name(prefix, ""));
      try {
        return Files.createDirectory(candidate, DIRECTORY);
      } catch (FileAlreadyExistsException e) {
        if (i == ATTEMPTS) {
          throw new IOException(dir + ": no unused temporary name after " + ATTEMPTS + " tries", e);
        }
      }
    }
  }

  private static String name(String prefix, String suffix) {
    return prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + suffix;
  }
}
