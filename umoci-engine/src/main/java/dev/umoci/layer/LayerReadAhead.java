package dev.umoci.layer;

import dev.umoci.oci.spec.Digest;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.concurrent.BlockingQueue;

/**
 * One layer blob being opened, read and decompressed on a thread of its own, ahead of its
 * extraction, into buffers from a pool that the layers of one unpack share (so the reading of the
 * next layer can start while this one is still being extracted, within the same memory bound), with
 * the plain tar stream hashed for the DiffID on a third thread. Consumed by {@link
 * LayerBlobUnpacker#unpackLayer(LayerReadAhead, Digest, java.nio.file.Path, ExtractOptions,
 * ContentObserver)}.
 */
public final class LayerReadAhead implements Closeable {
  /** Bytes per read-ahead buffer. */
  static final int CHUNK = 1 << 20;

  /** Buffers in one pool: the most decompressed data held ahead of extraction. */
  static final int BUFFERS = 16;

  /** Opens a layer blob; called on the reading thread. */
  public interface BlobOpener {
    InputStream open() throws IOException;
  }

  private final Digest layerDigest;
  private final MessageDigest diffId = Digest.newSha256();
  private final ReadAheadInputStream plain;
  private volatile InputStream blob;

  /** A buffer pool for the layers of one unpack ({@value #BUFFERS} of {@value #CHUNK} bytes). */
  public static BlockingQueue<byte[]> newPool() {
    return ReadAheadInputStream.pool(CHUNK, BUFFERS);
  }

  /**
   * Starts opening and reading the blob at once.
   *
   * @param whenRead run on the reading thread once the whole layer has been decompressed without
   *     error (null: nothing); it must not throw
   */
  public LayerReadAhead(
      BlobOpener opener,
      Compression compression,
      Digest layerDigest,
      BlockingQueue<byte[]> pool,
      Runnable whenRead) {
    this.layerDigest = layerDigest;
    this.plain =
        new ReadAheadInputStream(
            () -> {
              InputStream opened = opener.open();
              blob = opened;
              return compression.decompress(opened);
            },
            pool,
            "umoci-decompress " + layerDigest,
            diffId,
            whenRead);
  }

  Digest layerDigest() {
    return layerDigest;
  }

  /** The plain tar stream. */
  InputStream plain() {
    return plain;
  }

  /** The DiffID digest; complete only after {@link #close()}, once the tar was read to its end. */
  MessageDigest diffId() {
    return diffId;
  }

  /** The blob as opened; null when it was not (yet) opened. The caller closes it. */
  public InputStream blob() {
    return blob;
  }

  /** Stops the reading threads and waits for them. Does not close the blob. */
  @Override
  public void close() throws IOException {
    plain.close();
  }
}
