package dev.umoci.registry;

import dev.umoci.oci.spec.Digest;

/**
 * Progress of a pull or push. Called from transfer threads, so implementations must be thread-safe.
 * Nothing is reported twice for one blob.
 */
public interface TransferListener {
  /** A listener that ignores everything. */
  TransferListener NONE = new TransferListener() {};

  /** How many blobs and bytes this transfer will move at most. */
  default void planned(int blobs, long bytes) {}

  /** {@code n} more bytes of {@code digest} were moved. */
  default void bytes(Digest digest, long n) {}

  /** One blob is done: moved, or skipped because the other side had it. */
  default void blobDone(Digest digest, long size, boolean skipped) {}

  /**
   * One blob is done by a cross-repository mount from {@code from} (same registry): not uploaded.
   * Called instead of {@link #blobDone}; by default reported to it as skipped.
   */
  default void blobMounted(Digest digest, long size, String from) {
    blobDone(digest, size, true);
  }
}
