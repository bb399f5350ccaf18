package dev.umoci.oci.layout;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Streams one new blob into a layout. Bytes go to a temporary file inside the layout's locked
 * {@code .umoci-*} directory and are hashed on the way; {@link #commit()} syncs the file, renames
 * it atomically to {@code blobs/sha256/<hex>} and syncs that directory. A process killed at any
 * point leaves either no blob or the whole blob under its name. Closing without committing discards
 * the data. Not thread-safe.
 */
public final class BlobWriter extends OutputStream {
  private final OciLayout layout;
  private final Path temp;
  private final FileChannel channel;
  private final OutputStream out;
  private final MessageDigest sha256 = Digest.newSha256();
  private long size;
  private boolean closed;
  private WrittenBlob result;
  private Digest finalDigest;

  BlobWriter(OciLayout layout, Path temp) throws IOException {
    this.layout = layout;
    this.temp = temp;
    this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
    this.out = Channels.newOutputStream(channel);
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
    out.write(b, off, len);
    sha256.update(b, off, len);
    size += len;
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
      channel.close();
    }
    if (result == null) {
      Files.deleteIfExists(temp);
    }
  }
}
