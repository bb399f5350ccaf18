package dev.umoci.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a source stream on a background thread into a bounded set of buffers (double buffering), so
 * that the work done while reading the source (decompression, hashing) runs on another core than
 * the work done by the consumer (tar parsing, extraction). A failure of the source is rethrown, as
 * the same exception object, by the consumer's next read.
 *
 * <p>Single consumer. {@link #close()} stops the background thread and waits for it; it does not
 * close the source. After the consumer has seen end of stream (or after close), the source has no
 * more readers, and the caller may use it (or state updated while reading it) again.
 */
final class ReadAheadInputStream extends InputStream {
  private static final Chunk END = new Chunk(null, 0, null);

  private record Chunk(byte[] data, int length, Throwable failure) {}

  private final InputStream source;
  private final BlockingQueue<byte[]> free;
  private final BlockingQueue<Chunk> full;
  private final Thread producer;
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
    this.source = source;
    this.free = new ArrayBlockingQueue<>(buffers);
    this.full = new ArrayBlockingQueue<>(buffers + 1);
    for (int i = 0; i < buffers; i++) {
      free.add(new byte[chunkSize]);
    }
    this.producer = new Thread(this::produce, threadName);
    producer.setDaemon(true);
    producer.start();
  }

  private void produce() {
    try {
      while (!closed) {
        byte[] buf = free.poll(100, TimeUnit.MILLISECONDS);
        if (buf == null) {
          continue;
        }
        int n = 0;
        int r = 0;
        while (n < buf.length && (r = source.read(buf, n, buf.length - n)) >= 0) {
          n += r;
        }
        if (n > 0) {
          full.put(new Chunk(buf, n, null));
        }
        if (r < 0) {
          full.put(END);
          return;
        }
      }
    } catch (Throwable t) {
      full.offer(new Chunk(null, 0, t));
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
      free.offer(current.data);
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
      Throwable t = next.failure;
      if (t instanceof IOException io) {
        throw io;
      }
      if (t instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (t instanceof RuntimeException r) {
        throw r;
      }
      if (t instanceof Error e) {
        throw e;
      }
      throw new IOException(t);
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
    // Unblock a producer waiting for room: drop the queued chunks, recycling their buffers.
    for (Chunk c; (c = full.poll()) != null; ) {
      if (c.data != null) {
        free.offer(c.data);
      }
    }
    boolean interrupted = false;
    while (producer.isAlive()) {
      try {
        producer.join(100);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      for (Chunk c; (c = full.poll()) != null; ) {
        if (c.data != null) {
          free.offer(c.data);
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
