package dev.umoci.registry;

/**
 * How many bytes of one part of a blob its fetching thread has written so far (from the part's
 * start, without gaps), for the thread that hashes the blob in order to follow it. Thread-safe.
 */
final class PartProgress {
  private long bytes;

  /** Counts {@code n} more bytes written and wakes a waiting reader. */
  synchronized void advance(long n) {
    bytes += n;
    notifyAll();
  }

  /** Bytes written so far. */
  synchronized long bytes() {
    return bytes;
  }

  /**
   * Waits until more than {@code seen} bytes are written or {@code millis} have passed, whichever
   * comes first (the caller checks again either way).
   */
  synchronized void awaitBeyond(long seen, long millis) throws InterruptedException {
    if (bytes <= seen) {
      wait(millis);
    }
  }
}
