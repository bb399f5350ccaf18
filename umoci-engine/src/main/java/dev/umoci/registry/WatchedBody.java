package dev.umoci.registry;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A request body (an upload) watched while it is sent: {@link #send} gives up when the HTTP client
 * takes no buffer of it for the idle timeout (the registry stopped reading), or when no answer
 * comes within the answer timeout after the last buffer, and sets no bound on how long an upload
 * that keeps moving may take. The JDK's own request timeout counts from the start of the request to
 * the response headers, so it would fail a large upload over a slow link that is working fine (a
 * 256 MiB blob at 5 Mbit/s takes seven minutes), and every retry with it.
 *
 * <p>Progress is seen per buffer handed to the client, which asks for the next one when it has
 * written the ones before to its socket: for blobs ({@link FileRangePublisher}, 256 KiB buffers)
 * the time of the last buffer handed over is the time of the last progress. A body handed over in
 * one buffer (a manifest) counts as sent when it is handed over; its writing then counts against
 * the answer timeout.
 */
final class WatchedBody implements HttpRequest.BodyPublisher {
  /**
   * How often {@link #send} looks at the clock while it waits; a finished exchange ends the wait.
   */
  private static final long CHECK_MILLIS = 250;

  private final HttpRequest.BodyPublisher body;
  private volatile long lastProgress = System.nanoTime();
  private volatile long sentAt;
  private volatile boolean sent;

  private WatchedBody(HttpRequest.BodyPublisher body) {
    this.body = body;
  }

  /** The body of {@code request} watched, or null when it has none (or an empty one). */
  static WatchedBody of(HttpRequest request) {
    Optional<HttpRequest.BodyPublisher> p = request.bodyPublisher();
    return p.isPresent() && p.get().contentLength() != 0 ? new WatchedBody(p.get()) : null;
  }

  @Override
  public long contentLength() {
    return body.contentLength();
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    lastProgress = System.nanoTime();
    sent = false;
    body.subscribe(new Watching(subscriber));
  }

  /**
   * Sends {@code request}, whose body is this one, and returns the response: fails with {@link
   * StalledTransferException} when the body makes no progress for {@code idle}, and with {@link
   * HttpTimeoutException} when the response headers do not come within {@code answer} after the
   * body was sent; the exchange is cancelled (its connection dropped) either way, and when the
   * caller is interrupted.
   */
  <T> HttpResponse<T> send(
      HttpClient http,
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      Duration idle,
      Duration answer)
      throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<T>> exchange = http.sendAsync(request, handler);
    try {
      while (true) {
        try {
          return exchange.get(CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          long now = System.nanoTime();
          if (!sent && now - lastProgress > idle.toNanos()) {
            exchange.cancel(true);
            throw StalledTransferException.sending(idle);
          }
          if (sent && now - sentAt > answer.toNanos()) {
            exchange.cancel(true);
            throw new HttpTimeoutException(
                "no answer " + StalledTransferException.seconds(answer) + " after the upload");
          }
        }
      }
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(cause);
    }
  }

  /** Passes everything on, noting each buffer handed over and the end. */
  private final class Watching implements Flow.Subscriber<ByteBuffer> {
    private final Flow.Subscriber<? super ByteBuffer> subscriber;

    Watching(Flow.Subscriber<? super ByteBuffer> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscriber.onSubscribe(subscription);
    }

    @Override
    public void onNext(ByteBuffer item) {
      lastProgress = System.nanoTime();
      subscriber.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      subscriber.onError(throwable);
    }

    @Override
    public void onComplete() {
      sentAt = System.nanoTime();
      sent = true;
      subscriber.onComplete();
    }
  }
}
