package dev.umoci.layer;

import dev.umoci.errors.TaskFailures;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a source stream on a background thread into a bounded set of buffers (double buffering), so
 * that the work done while reading the source (decompression, hashing) runs on another core than
 * the work done by the consumer (tar parsing, extraction). A failure of the source is rethrown, as
 * the same exception object, by the consumer's next read.
 *
 * <p>Optionally a digest of every byte read is computed on a third thread, from the same buffers (a
 * buffer is reused once both the consumer and the digest are done with it). With two cores and
 * three threads the scheduler gives the digest whichever core is waiting: the reader while the
 * consumer is busy with many small files, the consumer while the reader is busy decompressing.
 *
 * <p>Single consumer. {@link #close()} stops the background threads and waits for them; it does not
 * close the source. After close the source has no more readers, and the caller may use it (or state
 * updated while reading it) again; the digest then holds every byte the consumer was given (all of
 * the source when the consumer read to its end).
 */
final class ReadAheadInputStream extends InputStream {
  private static final Chunk END = new Chunk(null, 0, null, null);

  /** A filled buffer, or END, or a failure; {@code users} counts who has yet to release it. */
  private record Chunk(byte[] data, int length, Throwable failure, AtomicInteger users) {}

  /** Opens the source; called on the reading thread, so that opening costs the consumer nothing. */
  interface Source {
    InputStream open() throws IOException;
  }

  private final Source source;
  private final Runnable whenSourceEnds;
  private final BlockingQueue<byte[]> free;
  private final BlockingQueue<Chunk> full;
  private final Thread producer;
  private final MessageDigest digest;
  private final BlockingQueue<Chunk> toDigest;
  private final Thread digester;
  private volatile boolean closed;
  private Chunk current;
  private int position;
  private boolean ended;

  /**
   * Starts reading {@code source} at once.
   *
   * @param chunkSize bytes per buffer
   * @param buffers number of buffers in flight (2 or more lets both threads work at once)
   */
  ReadAheadInputStream(InputStream source, int chunkSize, int buffers, String threadName) {
    this(source, chunkSize, buffers, threadName, null);
  }

  /** A pool of {@code buffers} buffers of {@code chunkSize} bytes, to share between streams. */
  static BlockingQueue<byte[]> pool(int chunkSize, int buffers) {
    BlockingQueue<byte[]> pool = new ArrayBlockingQueue<>(buffers);
    for (int i = 0; i < buffers; i++) {
      pool.add(new byte[chunkSize]);
    }
    return pool;
  }

  /**
   * Starts reading {@code source} at once, and updating {@code digest} (if not null) with every
   * byte on a thread of its own. Read the digest only after {@link #close()}.
   */
  ReadAheadInputStream(
      InputStream source, int chunkSize, int buffers, String threadName, MessageDigest digest) {
    this(() -> source, pool(chunkSize, buffers), threadName, digest, null);
  }

  /**
   * Starts reading at once on a new thread: opens {@code source} there, fills buffers taken from
   * {@code pool} (which other streams may share: a buffer goes back to it once used), updates
   * {@code digest} (if not null) on a thread of its own, and runs {@code whenSourceEnds} (if not
   * null) on the reading thread once the whole source has been read without error. A failure to
   * open or read the source is rethrown by the consumer's next read.
   */
  ReadAheadInputStream(
      Source source,
      BlockingQueue<byte[]> pool,
      String threadName,
      MessageDigest digest,
      Runnable whenSourceEnds) {
    this.source = source;
    this.whenSourceEnds = whenSourceEnds;
    this.free = pool;
    // Room for every buffer plus the end marker: the reader never blocks on these queues.
    int buffers = pool.remainingCapacity() + pool.size();
    this.full = new ArrayBlockingQueue<>(buffers + 1);
    this.digest = digest;
    if (digest != null) {
      this.toDigest = new ArrayBlockingQueue<>(buffers + 1);
      this.digester = new Thread(this::digest, threadName + " (digest)");
      digester.setDaemon(true);
      digester.start();
    } else {
      this.toDigest = null;
      this.digester = null;
    }
    this.producer = new Thread(this::produce, threadName);
    producer.setDaemon(true);
    producer.start();
  }

  /** Returns a chunk's buffer to the reader once its last user is done with it. */
  private void release(Chunk chunk) {
    if (chunk.data != null && chunk.users.decrementAndGet() == 0) {
      free.offer(chunk.data);
    }
  }

  private void digest() {
    try {
      for (Chunk c; (c = toDigest.take()) != END; ) {
        digest.update(c.data, 0, c.length);
        release(c);
      }
    } catch (InterruptedException e) {
      // interrupted: stop; close() waits for this thread only to end
    }
  }

  private void produce() {
    boolean readToEnd = false;
    try {
      InputStream in = source.open();
      while (!closed) {
        byte[] buf = free.poll(100, TimeUnit.MILLISECONDS);
        if (buf == null) {
          continue;
        }
        int n = 0;
        int r = 0;
        while (n < buf.length && (r = in.read(buf, n, buf.length - n)) >= 0) {
          n += r;
        }
        if (n > 0) {
          Chunk chunk = new Chunk(buf, n, null, new AtomicInteger(digest == null ? 1 : 2));
          if (digest != null) {
            toDigest.put(chunk);
          }
          full.put(chunk);
        } else {
          free.offer(buf);
        }
        if (r < 0) {
          full.put(END);
          readToEnd = true;
          break;
        }
      }
    } catch (Throwable t) {
      full.offer(new Chunk(null, 0, t, null));
    } finally {
      if (digest != null) {
        toDigest.offer(END);
      }
    }
    if (readToEnd && whenSourceEnds != null) {
      whenSourceEnds.run();
    }
  }

  private boolean advance() throws IOException {
    if (ended) {
      return false;
    }
    if (current != null && position < current.length) {
      return true;
    }
    if (current != null) {
      release(current);
      current = null;
    }
    Chunk next;
    try {
      next = full.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for layer data");
    }
    if (next.failure != null) {
      ended = true;
      throw TaskFailures.of(next.failure, "reading layer data ahead");
    }
    if (next == END) {
      ended = true;
      return false;
    }
    current = next;
    position = 0;
    return true;
  }

  @Override
  public int read() throws IOException {
    if (!advance()) {
      return -1;
    }
    return current.data[position++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!advance()) {
      return -1;
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current.data, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.length - position;
  }

  /** Stops the background reader and waits until it no longer touches the source. */
  @Override
  public void close() throws IOException {
    closed = true;
    ended = true;
    if (current != null) {
      release(current);
      current = null;
    }
    // Unblock a producer waiting for room: drop the queued chunks, recycling their buffers.
    for (Chunk c; (c = full.poll()) != null; ) {
      release(c);
    }
    boolean interrupted = false;
    while (producer.isAlive()) {
      try {
        producer.join(100);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      for (Chunk c; (c = full.poll()) != null; ) {
        release(c);
      }
    }
    // The producer has queued END for the digester; it finishes the chunks before it.
    while (digester != null && digester.isAlive()) {
      try {
        digester.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
