package dev.umoci.registry;

import dev.umoci.sys.ErrnoException;
import dev.umoci.sys.Syscalls;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A request body of {@code length} bytes of a file from {@code start}, sent from read-only mappings
 * of the file: the buffers the HTTP client writes to its socket are slices of the mapping, so the
 * bytes go from the page cache to the socket with no copy, read or buffer of ours (with buffers
 * read from the file, each 256 KiB was read into a temporary native buffer, copied to a new, zeroed
 * heap buffer, and copied again to a temporary native buffer for the socket: a push of the large
 * benchmark image used 0.42 s of CPU, with mappings 0.31 s, docs/performance.md). No digest (the
 * registry verifies every upload by its digest, and a refused upload is checked against the local
 * blob by the caller).
 *
 * <p>The range is mapped {@value #WINDOW} bytes at a time; once the next window is mapped, the
 * pages of the one before leave the process's resident set ({@link Syscalls#releaseMappedPages},
 * safe while the client may still be writing from it), so resident memory stays at a few windows
 * per upload, not the blob's size. The mappings themselves end when the collector frees their
 * buffers. A file that ends before {@code start + length} fails the body with an {@link
 * IOException}. Each subscription maps the range afresh, so the body can be sent again (a retried
 * request). {@code progress} is told the bytes of each buffer handed over.
 */
final class FileRangePublisher implements HttpRequest.BodyPublisher {
  /** Bytes per buffer handed to the client (its socket writes take them whole). */
  static final int BUFFER = 256 << 10;

  /** Bytes mapped at a time (a whole number of buffers). */
  static final int WINDOW = 8 << 20;

  private final Path file;
  private final long start;
  private final long length;
  private final LongConsumer progress;
  private final int window;

  FileRangePublisher(Path file, long start, long length, LongConsumer progress) {
    this(file, start, length, progress, WINDOW);
  }

  /** With windows of {@code window} bytes (tests use small ones). */
  FileRangePublisher(Path file, long start, long length, LongConsumer progress, int window) {
    this.file = file;
    this.start = start;
    this.length = length;
    this.progress = progress;
    this.window = window;
  }

  @Override
  public long contentLength() {
    return length;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    subscriber.onSubscribe(new Reading(subscriber));
  }

  /**
   * Emits buffers as they are requested. {@link #request} may be called from any thread and from
   * within {@code onNext}; one caller at a time drains the demand (the others only add to it).
   */
  private final class Reading implements Flow.Subscription {
    private final Flow.Subscriber<? super ByteBuffer> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger draining = new AtomicInteger();
    private FileChannel channel;
    private MappedByteBuffer mapped;

    /** Where {@link #mapped} starts, from {@code start}. */
    private long mappedFrom;

    private long sent;
    private volatile boolean done;

    Reading(Flow.Subscriber<? super ByteBuffer> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (done) {
        return;
      }
      if (n <= 0) {
        finish(new IllegalArgumentException("non-positive request: " + n));
        return;
      }
      demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      if (draining.getAndIncrement() != 0) {
        return;
      }
      do {
        while (!done && demand.get() > 0) {
          demand.decrementAndGet();
          emit();
        }
      } while (draining.decrementAndGet() != 0);
    }

    private void emit() {
      try {
        if (sent == length) {
          finish(null);
          return;
        }
        if (channel == null) {
          channel = FileChannel.open(file, StandardOpenOption.READ);
        }
        if (mapped == null || sent == mappedFrom + mapped.capacity()) {
          mapNext();
        }
        int n = (int) Math.min(BUFFER, mappedFrom + mapped.capacity() - sent);
        ByteBuffer buf = mapped.slice((int) (sent - mappedFrom), n);
        sent += buf.remaining();
        progress.accept(buf.remaining());
        subscriber.onNext(buf);
        if (sent == length) {
          finish(null);
        }
      } catch (IOException | RuntimeException e) {
        finish(e);
      }
    }

    /** Maps the next window from {@link #sent} and releases the pages of the one before. */
    private void mapNext() throws IOException {
      long size = Math.min(window, length - sent);
      long fileSize = channel.size();
      if (fileSize < start + sent + size) {
        throw new IOException(file + " ends at byte " + fileSize + ", before its size");
      }
      MappedByteBuffer next = channel.map(FileChannel.MapMode.READ_ONLY, start + sent, size);
      release();
      mapped = next;
      mappedFrom = sent;
    }

    /** Drops the current window's pages from memory; a hint, so a failure changes nothing. */
    private void release() {
      if (mapped != null) {
        try {
          Syscalls.releaseMappedPages(mapped, file);
        } catch (ErrnoException | RuntimeException | LinkageError e) {
          // the pages stay resident until the mapping is freed: more memory, the same bytes
        }
      }
    }

    private void finish(Throwable failure) {
      if (done) {
        return;
      }
      done = true;
      close();
      if (failure == null) {
        subscriber.onComplete();
      } else {
        subscriber.onError(failure);
      }
    }

    @Override
    public void cancel() {
      done = true;
      close();
    }

    private void close() {
      release();
      FileChannel c = channel;
      if (c != null) {
        try {
          c.close();
        } catch (IOException e) {
          // read-only: nothing was lost
        }
      }
    }
  }
}
