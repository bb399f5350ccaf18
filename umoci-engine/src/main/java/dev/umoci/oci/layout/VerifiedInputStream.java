package dev.umoci.oci.layout;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.errors.SizeMismatchException;
import dev.umoci.oci.spec.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A blob stream that delivers exactly {@code expectedSize} bytes and checks their sha256 when it
 * reaches the end. Data beyond the expected size, a short blob and a digest mismatch all raise
 * {@link DigestMismatchException} naming the blob. The check runs when a reader reaches EOF; a
 * reader that stops early (a tar reader at its end marker) calls {@link #readToEnd()} to cover the
 * rest. Closing without reading to the end performs no check.
 */
public final class VerifiedInputStream extends FilterInputStream {
  private final Digest expected;
  private final long expectedSize;
  private final MessageDigest sha256 = Digest.newSha256();
  private long count;
  private boolean verified;

  VerifiedInputStream(InputStream in, Digest expected, long expectedSize) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
  }

  /** The digest this stream verifies against. */
  public Digest expectedDigest() {
    return expected;
  }

  /** Bytes delivered so far. */
  public long bytesRead() {
    return count;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long remaining = expectedSize - count;
    if (remaining <= 0) {
      verifyAtEnd();
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw new SizeMismatchException(
          "verified reader size mismatch: blob "
              + expected
              + " is shorter than its descriptor size "
              + expectedSize
              + " (only "
              + count
              + " bytes)");
    }
    sha256.update(b, off, n);
    count += n;
    return n;
  }

  private void verifyAtEnd() throws IOException {
    if (verified) {
      return;
    }
    if (in.read() >= 0) {
      throw new SizeMismatchException(
          "verified reader size mismatch: blob "
              + expected
              + " is larger than its descriptor size "
              + expectedSize);
    }
    Digest actual = Digest.ofSha256(sha256.digest());
    if (!actual.equals(expected)) {
      throw new DigestMismatchException(
          "verified reader digest mismatch: blob " + expected + " has content digest " + actual);
    }
    verified = true;
  }

  /** Reads and discards everything left, then verifies size and digest. */
  public void readToEnd() throws IOException {
    byte[] buf = new byte[1 << 16];
    while (read(buf, 0, buf.length) >= 0) {
      // discard
    }
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 1 << 16)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), Math.max(0, expectedSize - count));
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {}

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }
}
