package dev.umoci.ops;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.layer.TarEntry;
import dev.umoci.layer.TarReader;
import dev.umoci.oci.spec.InputLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The entries of an image archive ({@link OciArchiveReader}, {@link DockerArchiveReader}) read
 * through a {@link TarReader}, whose format errors (a malformed header, an entry cut short) know no
 * file: here they name the archive, as the readers' own errors do.
 */
final class ArchiveTarReader implements AutoCloseable {
  private final TarReader tar;
  private final String where;

  /** Reads {@code in}; {@code where} ("oci-archive PATH: ") starts every error. */
  ArchiveTarReader(InputStream in, InputLimits limits, String where) {
    this.tar = new TarReader(in, limits);
    this.where = where;
  }

  /** The next entry, or null at the end of the archive. */
  TarEntry next() throws IOException {
    try {
      return tar.next();
    } catch (InvalidImageException e) {
      throw named(e);
    }
  }

  /** The current entry's content, whole. */
  byte[] readContent() throws IOException {
    try {
      return tar.content().readAllBytes();
    } catch (InvalidImageException e) {
      throw named(e);
    }
  }

  /** Writes the current entry's content to {@code out}. */
  void transferContent(OutputStream out) throws IOException {
    try {
      tar.content().transferTo(out);
    } catch (InvalidImageException e) {
      throw named(e);
    }
  }

  private InvalidLayoutException named(InvalidImageException e) {
    return new InvalidLayoutException(where + e.getMessage(), e);
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
