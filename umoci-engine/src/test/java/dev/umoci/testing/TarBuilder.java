package dev.umoci.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds small uncompressed tar archives in tests (root-owned, fixed mtime). */
public final class TarBuilder {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  public TarBuilder() {
    tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  /** Adds a directory entry ({@code name} without trailing slash). */
  public TarBuilder dir(String name, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR);
    e.setMode(040000 | mode);
    return put(e, new byte[0]);
  }

  /** Adds a regular file with UTF-8 content. */
  public TarBuilder file(String name, String content, int mode) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0100000 | mode);
    e.setSize(data.length);
    return put(e, data);
  }

  /** Adds a symbolic link. */
  public TarBuilder symlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    e.setLinkName(target);
    e.setMode(0120777);
    return put(e, new byte[0]);
  }

  private TarBuilder put(TarArchiveEntry e, byte[] data) {
    e.setUserId(0);
    e.setGroupId(0);
    e.setModTime(1_700_000_000_000L);
    try {
      tar.putArchiveEntry(e);
      tar.write(data);
      tar.closeArchiveEntry();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return this;
  }

  /** Finishes the archive and returns its bytes. */
  public byte[] build() {
    try {
      tar.finish();
      tar.close();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return bytes.toByteArray();
  }

  /** Finishes the archive and writes it to {@code file}. */
  public Path writeTo(Path file) throws IOException {
    Files.write(file, build());
    return file;
  }
}
