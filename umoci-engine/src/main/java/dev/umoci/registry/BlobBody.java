package dev.umoci.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A response body that hands out the HTTP client's own buffers ({@link #next()}) as well as being
 * an {@link InputStream}: a blob is written from them without a copy into a byte array first (the
 * buffers are read-only, so exactly one copy remains, into the blob writer's). The client's
 * selector thread delivers lists of buffers; one is queued ahead of the reader, then the client
 * waits (flow control). Closing before the end cancels the exchange, which drops the connection, as
 * for the JDK's own {@code ofInputStream()} body. A reader that waits longer than the idle timeout
 * for the next buffer cancels the exchange and gets a {@link StalledTransferException}: the JDK's
 * request timeout ends when the headers arrive, and a registry (or proxy) that stops sending in the
 * middle of a body would otherwise keep the reader waiting for ever. Time the reader spends
 * elsewhere (writing what it took) does not count.
 */
final class BlobBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
  /**
   * Lists of buffers requested ahead of the reader: one, as the JDK's own stream body does, so that
   * data waits in the socket and each socket read fills a whole buffer.
   */
  private static final int AHEAD = 1;

  private static final Object END = new Object();

  /** Lists of buffers, then {@link #END} or the failure (a Throwable). */
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD + 2);

  private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
  private final Duration idle;
  private volatile Flow.Subscription subscription;
  private Iterator<ByteBuffer> current = List.<ByteBuffer>of().iterator();
  private ByteBuffer buffer;
  private boolean ended;
  private boolean closed;

  private BlobBody(Duration idle) {
    this.idle = idle;
  }

  /**
   * Answers every response with a new {@link BlobBody}; a class, not a lambda (see the package's
   * note on the transfer threads).
   */
  private record Handler(Duration idle) implements HttpResponse.BodyHandler<InputStream> {
    @Override
    public HttpResponse.BodySubscriber<InputStream> apply(HttpResponse.ResponseInfo info) {
      return new BlobBody(idle);
    }
  }

  /** A handler of bodies whose reader gives up after {@code idle} without data. */
  static HttpResponse.BodyHandler<InputStream> handler(Duration idle) {
    return new Handler(idle);
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(AHEAD);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.offer(item);
  }

  @Override
  public void onError(Throwable t) {
    queue.offer(t);
  }

  @Override
  public void onComplete() {
    queue.offer(END);
  }

  /**
   * The next buffer of the body with bytes remaining, or null at its end. The buffer is the
   * client's (read-only); its bytes are consumed by the caller before the next call.
   *
   * @throws IOException when the exchange failed (a dropped connection), or {@link
   *     StalledTransferException} when no buffer came for the idle timeout
   */
  ByteBuffer next() throws IOException {
    if (closed) {
      throw new IOException("body closed");
    }
    while (buffer == null || !buffer.hasRemaining()) {
      if (current.hasNext()) {
        buffer = current.next();
        continue;
      }
      if (ended) {
        return null;
      }
      Object o;
      try {
        o = queue.poll(idle.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new java.io.InterruptedIOException("interrupted while reading a response body");
      }
      if (o == null) {
        close();
        throw StalledTransferException.receiving(idle);
      }
      if (o == END) {
        ended = true;
        return null;
      }
      if (o instanceof Throwable t) {
        ended = true;
        throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
      }
      @SuppressWarnings("unchecked")
      List<ByteBuffer> list = (List<ByteBuffer>) o;
      current = list.iterator();
      subscription.request(1);
    }
    return buffer;
  }

  @Override
  public int read() throws IOException {
    ByteBuffer b = next();
    return b == null ? -1 : b.get() & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    ByteBuffer from = next();
    if (from == null) {
      return -1;
    }
    int n = Math.min(len, from.remaining());
    from.get(b, off, n);
    return n;
  }

  @Override
  public int available() {
    return buffer == null ? 0 : buffer.remaining();
  }

  /** Cancels the exchange unless the body was read to its end. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Flow.Subscription s = subscription;
    if (!ended && s != null) {
      s.cancel();
    }
    queue.clear();
  }
}
