package dev.umoci.oci.layout;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Streams one new blob into a layout. Bytes go to a temporary file inside the layout's locked
 * {@code .umoci-*} directory and are hashed on the way, the disk's write-out started as they come
 * ({@link EarlyWriteOut}); {@link #commit()} syncs the file, renames it atomically to {@code
 * blobs/sha256/<hex>} and syncs that directory. A process killed at any point leaves either no blob
 * or the whole blob under its name. Closing without committing discards the data. Not thread-safe.
 */
public final class BlobWriter extends OutputStream {
  private final OciLayout layout;
  private final Path temp;
  private final FileChannel channel;
  private final OutputStream out;
  private final MessageDigest sha256 = Digest.newSha256();
  private final EarlyWriteOut writeOut;
  private long size;
  private boolean closed;
  private WrittenBlob result;
  private Digest finalDigest;
  private ByteBuffer staged;

  /**
   * Bytes of the direct buffer {@link #write(ByteBuffer)} copies into: the HTTP client's buffer
   * size. Small enough to stay in the CPU cache between the copy, the hash and the write (1 MiB
   * doubled the kernel's time in {@code write} on a 267 MB pull: 0.3 s to 0.7 s of system CPU).
   */
  static final int STAGING = 256 << 10;

  BlobWriter(OciLayout layout, Path temp) throws IOException {
    this.layout = layout;
    this.temp = temp;
    this.channel =
        FileChannel.open(
            temp, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
    this.out = Channels.newOutputStream(channel);
    this.writeOut = new EarlyWriteOut(temp);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("blob writer is closed");
    }
    flushStaged();
    out.write(b, off, len);
    sha256.update(b, off, len);
    size += len;
    writeOut.written(len);
  }

  /**
   * Writes {@code src}'s remaining bytes (consuming them). They are copied once, into a direct
   * buffer of {@value #STAGING} bytes owned by this writer, which is hashed where it lies (see
   * {@link dev.umoci.sys.NativeSha256}) and written to the file whole when full: one copy and one
   * large write where a byte array would be copied three times (into the array, into the file
   * channel's own direct buffer, into the digest's). For buffers the caller cannot give away, such
   * as the read-only body buffers of the JDK's HTTP client. May be mixed with the other writes.
   */
  public void write(ByteBuffer src) throws IOException {
    if (closed) {
      throw new IOException("blob writer is closed");
    }
    while (src.hasRemaining()) {
      if (staged == null) {
        staged = ByteBuffer.allocateDirect(STAGING);
      }
      int n = Math.min(src.remaining(), staged.remaining());
      int limit = src.limit();
      src.limit(src.position() + n);
      staged.put(src);
      src.limit(limit);
      size += n;
      if (!staged.hasRemaining()) {
        flushStaged();
      }
    }
  }

  /**
   * Writes {@code src}'s remaining bytes at {@code position}, beyond what was written in order so
   * far, without hashing them: for parts of a blob that arrive on other threads while it is written
   * in order from its start (parallel range requests). They count for nothing until the writer
   * reaches them with {@link #adopt}; a blob whose parts are never adopted cannot commit with its
   * digest. Thread-safe against the other methods, as long as no two writers write overlapping
   * ranges.
   */
  public void writeAt(ByteBuffer src, long position) throws IOException {
    if (closed) {
      throw new IOException("blob writer is closed");
    }
    long at = position;
    while (src.hasRemaining()) {
      at += channel.write(src, at);
    }
    writeOut.written(at - position);
  }

  /**
   * Takes the next {@code length} bytes after those written in order, written earlier with {@link
   * #writeAt}, as written now: they are read back (from the page cache) and hashed. Not thread-safe
   * (with the in-order writes it continues).
   */
  public void adopt(long length) throws IOException {
    if (closed) {
      throw new IOException("blob writer is closed");
    }
    flushStaged();
    if (staged == null) {
      staged = ByteBuffer.allocateDirect(STAGING);
    }
    for (long left = length; left > 0; ) {
      staged.clear().limit((int) Math.min(STAGING, left));
      int n = channel.read(staged, size);
      if (n < 0) {
        throw new IOException("blob ends at byte " + size + ", before the part to adopt");
      }
      staged.flip();
      sha256.update(staged);
      size += n;
      left -= n;
    }
    staged.clear();
    channel.position(size);
  }

  /** Hashes and writes what {@link #write(ByteBuffer)} staged. */
  private void flushStaged() throws IOException {
    if (staged == null || staged.position() == 0) {
      return;
    }
    staged.flip();
    sha256.update(staged.duplicate());
    int n = staged.remaining();
    while (staged.hasRemaining()) {
      channel.write(staged);
    }
    staged.clear();
    writeOut.written(n);
  }

  /** Bytes written so far. */
  public long size() {
    return size;
  }

  /**
   * Finishes the blob: fsync, atomic rename into the blob store, fsync of the store directory.
   * Committing twice returns the same result.
   */
  public WrittenBlob commit() throws IOException {
    if (result != null) {
      return result;
    }
    if (closed) {
      throw new IOException("blob writer was closed before commit");
    }
    flushStaged();
    writeOut.close();
    channel.force(true);
    closed = true;
    channel.close();
    Digest digest = finalDigest != null ? finalDigest : Digest.ofSha256(sha256.digest());
    Path target = layout.blobPath(digest);
    layout.matchOwner(temp);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    DirectorySync.sync(target.getParent());
    result = new WrittenBlob(digest, size);
    return result;
  }

  /**
   * Like {@link #commit()}, but publishes the blob only when it has exactly {@code expected}'s
   * digest and size; otherwise the data is discarded and nothing appears in the blob store.
   *
   * @throws DigestMismatchException naming the digest and size received
   */
  public WrittenBlob commit(Digest expected, long expectedSize) throws IOException {
    if (result == null && !closed) {
      flushStaged();
      Digest actual = Digest.ofSha256(sha256.digest());
      if (!actual.equals(expected) || size != expectedSize) {
        close();
        throw new DigestMismatchException(
            "blob "
                + expected
                + " ("
                + expectedSize
                + " bytes): received "
                + size
                + " bytes with digest "
                + actual);
      }
      finalDigest = actual;
    }
    return commit();
  }

  /** Discards the blob unless it was committed. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      writeOut.close();
      channel.close();
    }
    if (result == null) {
      Files.deleteIfExists(temp);
    }
  }
}
