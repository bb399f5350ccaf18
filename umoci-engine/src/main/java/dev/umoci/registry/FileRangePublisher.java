package dev.umoci.registry;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A request body of {@code length} bytes of a file from {@code start}, read with positional reads
 * straight into the buffers the HTTP client sends: one read per {@value #BUFFER} bytes, no stream,
 * no digest (the registry verifies every upload by its digest, and a refused upload is checked
 * against the local blob by the caller). A file that ends before {@code start + length} fails the
 * body with an {@link IOException}. Each subscription reads the range afresh, so the body can be
 * sent again (a retried request). {@code progress} is told the bytes of each buffer handed over.
 */
final class FileRangePublisher implements HttpRequest.BodyPublisher {
  /** Bytes per buffer handed to the client (its socket writes take them whole). */
  static final int BUFFER = 256 << 10;

  private final Path file;
  private final long start;
  private final long length;
  private final LongConsumer progress;

  FileRangePublisher(Path file, long start, long length, LongConsumer progress) {
    this.file = file;
    this.start = start;
    this.length = length;
    this.progress = progress;
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
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BUFFER, length - sent));
        while (buf.hasRemaining()) {
          if (channel.read(buf, start + sent + buf.position()) < 0) {
            throw new IOException(
                file + " ends at byte " + (start + sent + buf.position()) + ", before its size");
          }
        }
        buf.flip();
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
