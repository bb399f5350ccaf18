package dev.umoci.layer;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes the content of regular-file entries to new files, hashing it on the way when asked. One
 * copy buffer and one digest per instance (per extractor), so a file costs no allocation beyond the
 * stream the JDK opens; not thread-safe.
 */
final class FileContentWriter {
  private static final int COPY_BUFFER = 1 << 18;

  private static final Set<StandardOpenOption> CREATE_NEW_WRITE =
      EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  /** The permission attributes for each of the 512 permission-bit combinations, made on demand. */
  private static final FileAttribute<?>[] PERMISSIONS = new FileAttribute<?>[01000];

  private final RootlessIo io;
  private final byte[] buffer = new byte[COPY_BUFFER];
  private final MessageDigest sha;

  /**
   * @param hash whether {@link #write} returns the SHA-256 of what it wrote
   */
  FileContentWriter(RootlessIo io, boolean hash) {
    this.io = io;
    this.sha = hash ? Digest.newSha256() : null;
  }

  /**
   * Creates {@code path} (which must not exist) with the entry's permission bits (less the umask,
   * so that the metadata step usually finds the mode already right and needs no chmod) and writes
   * the entry's {@link TarEntry#size()} bytes from {@code content}.
   *
   * @return the SHA-256 of the content when hashing, else null
   * @throws InvalidImageException when {@code content} ends early
   */
  byte[] write(Path path, TarEntry entry, InputStream content) throws IOException {
    long left = entry.size();
    if (sha != null) {
      sha.reset();
    }
    FileAttribute<?> permissions = creationPermissions(entry.mode());
    try (OutputStream out =
        io.run(
            path,
            () ->
                Channels.newOutputStream(
                    Files.newByteChannel(path, CREATE_NEW_WRITE, permissions)))) {
      while (left > 0) {
        int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          break;
        }
        out.write(buffer, 0, n);
        if (sha != null) {
          sha.update(buffer, 0, n);
        }
        left -= n;
      }
    }
    if (left != 0) {
      throw new InvalidImageException(
          "tar entry " + entry.displayName() + ": content ends " + left + " bytes early");
    }
    return sha == null ? null : sha.digest();
  }

  private static FileAttribute<?> creationPermissions(int mode) {
    int bits = mode & 0777;
    FileAttribute<?> attribute = PERMISSIONS[bits];
    if (attribute == null) {
      Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
      PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE
      for (int i = 0; i < 9; i++) {
        if ((bits & (0400 >> i)) != 0) {
          set.add(all[i]);
        }
      }
      attribute = PosixFilePermissions.asFileAttribute(set);
      PERMISSIONS[bits] = attribute;
    }
    return attribute;
  }
}
