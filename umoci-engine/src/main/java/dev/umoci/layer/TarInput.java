package dev.umoci.layer;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.LimitExceededException;
import dev.umoci.oci.spec.InputLimits;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The byte stream under a {@link TarReader}: buffered, its position counted (for messages naming an
 * offset), and no read past {@link InputLimits#maxLayerBytes()} (checked before the bytes are read,
 * {@link #checkRoom}). A stream that ends inside something it must hold is {@link #truncated}.
 */
final class TarInput implements Closeable {
  private final InputStream in;
  private final long maxBytes;
  private long offset;

  TarInput(InputStream in, long maxBytes) {
    this.in = new BufferedInputStream(in, 1 << 16);
    this.maxBytes = maxBytes;
  }

  /** Bytes consumed so far (up to the end-of-archive marker; {@link #drain} does not count). */
  long offset() {
    return offset;
  }

  /**
   * Refuses to go on when reading {@code more} bytes takes the stream past the limit.
   *
   * @param what names what is about to be read
   */
  void checkRoom(long more, String what) throws LimitExceededException {
    if (more > maxBytes - offset) {
      throw InputLimits.exceeded(
          what
              + " at offset "
              + offset
              + " takes the uncompressed layer past "
              + maxBytes
              + " bytes",
          maxBytes,
          InputLimits.LAYER_SIZE);
    }
  }

  /** Reads one header block; false at a clean end of stream, error on a partial block. */
  boolean readBlock(byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, block.length);
    if (n == 0) {
      return false;
    }
    if (n != block.length) {
      throw truncated("header at offset " + offset);
    }
    checkRoom(block.length, "tar header");
    offset += block.length;
    return true;
  }

  /** Exactly {@code size} bytes (the caller has checked the room), else {@link #truncated}. */
  byte[] readExactly(int size, String what) throws IOException {
    byte[] data = in.readNBytes(size);
    if (data.length != size) {
      throw truncated(what);
    }
    offset += size;
    return data;
  }

  /** Like {@link InputStream#read(byte[], int, int)}, counted. */
  int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      offset += n;
    }
    return n;
  }

  /** Bytes that can be read without blocking. */
  int available() throws IOException {
    return in.available();
  }

  /** Skips up to {@code n} bytes, counted; fewer only at the end of the stream. */
  long skip(long n) throws IOException {
    long left = n;
    byte[] buf = null;
    while (left > 0) {
      long s = in.skip(left);
      if (s <= 0) {
        if (buf == null) {
          buf = new byte[(int) Math.min(1 << 16, left)];
        }
        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          break;
        }
        s = r;
      }
      left -= s;
    }
    offset += n - left;
    return n - left;
  }

  /** Skips exactly {@code n} bytes, else {@link #truncated}. */
  void skipExactly(long n, String what) throws IOException {
    if (skip(n) != n) {
      throw truncated(what);
    }
  }

  /** Consumes the rest of the stream; returns the number of bytes. */
  long drain() throws IOException {
    long n = 0;
    byte[] buf = new byte[1 << 16];
    int r;
    while ((r = in.read(buf)) > 0) {
      n += r;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** The error for a stream that ends inside {@code what}. */
  static InvalidImageException truncated(String what) {
    return new InvalidImageException("invalid tar archive: unexpected end of stream in " + what);
  }
}
