package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Uploads watched for progress, against a server on loopback that reads a request body at the pace
 * a test sets (a slow link), stops reading it (a stalled registry), or never answers.
 */
@Timeout(60)
class WatchedBodyTest {
  static final int SIZE = 16 << 20;

  @org.junit.jupiter.api.io.TempDir Path tmp;
  ServerSocket server;
  HttpClient http;

  /** Bytes of the request the server read in all. */
  final CompletableFuture<Long> bodyBytesRead = new CompletableFuture<>();

  /** Released by a test when the server may read on (after it stopped taking the body). */
  final java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket();
    server.setReceiveBufferSize(64 << 10); // before bind: a small window, as a slow link has
    server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  /**
   * Serves one request: reads its headers, then {@code readBytes} of its body (at most all {@link
   * #SIZE}) in 64 KiB reads, {@code pauseMillis} after each, then answers 201; or, when {@code
   * answer} is false, waits for {@link #resume} and reads what is left until the client closes.
   * Records the body bytes read.
   */
  void serveOne(long readBytes, long pauseMillis, boolean answer) {
    Thread t =
        new Thread(
            () -> {
              try (Socket s = server.accept()) {
                s.setReceiveBufferSize(64 << 10);
                InputStream in = s.getInputStream();
                int matched = 0;
                while (matched < 4) {
                  int c = in.read();
                  if (c < 0) {
                    throw new IOException("no request");
                  }
                  matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : (c == '\r' ? 1 : 0);
                }
                byte[] b = new byte[64 << 10];
                long n = 0;
                long want = Math.min(readBytes, SIZE);
                for (int r;
                    n < want && (r = in.read(b, 0, (int) Math.min(b.length, want - n))) > 0; ) {
                  n += r;
                  Thread.sleep(pauseMillis);
                }
                if (answer) {
                  s.getOutputStream()
                      .write(
                          "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
                              .getBytes(StandardCharsets.US_ASCII));
                  s.getOutputStream().flush();
                  bodyBytesRead.complete(n);
                  in.read(); // until the client closes
                  return;
                }
                resume.await(30, TimeUnit.SECONDS);
                s.setSoTimeout(30_000);
                for (int r; (r = in.read(b)) > 0; ) {
                  n += r; // the sockets' buffers drain; it ends when the client has closed
                }
                bodyBytesRead.complete(n);
              } catch (Exception e) {
                bodyBytesRead.completeExceptionally(e);
              }
            });
    t.setDaemon(true);
    t.start();
  }

  /** Uploads a file of {@link #SIZE} bytes as blobs are pushed ({@link FileRangePublisher}). */
  HttpResponse<InputStream> upload(Duration idle, Duration answer) throws Exception {
    Path file = tmp.resolve("blob");
    Files.write(file, new byte[SIZE]);
    HttpRequest plain =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/up"))
            .PUT(new FileRangePublisher(file, 0, SIZE, n -> {}))
            .build();
    WatchedBody body = WatchedBody.of(plain);
    HttpRequest watched = HttpRequest.newBuilder(plain, (n, v) -> true).PUT(body).build();
    return body.send(http, watched, HttpResponse.BodyHandlers.ofInputStream(), idle, answer);
  }

  @Test
  void anUploadThatKeepsMovingMayTakeLongerThanBothTimeouts() throws Exception {
    // 16 MiB through a 64 KiB window, a read every 20 ms: at least 5.1 s, about 7 s on this
    // project's machine. The client took a new buffer every 0.6 s at most and handed over the last
    // one about 2 s before the end (the sockets' buffers hold a few MB): an idle timeout of 2 s and
    // an answer timeout of 4 s, both shorter than the upload.
    serveOne(SIZE, 20, true);
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = upload(Duration.ofSeconds(2), Duration.ofSeconds(4));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(201, r.statusCode());
    assertTrue(tookMillis > 4000, "the upload took " + tookMillis + " ms: too fast to show it");
  }

  @Test
  void anUploadThatTheServerStopsTakingIsGivenUpAndItsConnectionClosed() throws Exception {
    serveOne(1 << 20, 0, false);
    StalledTransferException e =
        assertThrows(
            StalledTransferException.class,
            () -> upload(Duration.ofMillis(500), Duration.ofMinutes(5)));
    assertEquals("stalled: the registry took no data for 0.5 s", e.getMessage());
    resume.countDown();
    long read = bodyBytesRead.get(30, TimeUnit.SECONDS);
    assertTrue(read < SIZE, "the client stopped sending: the server read " + read + " bytes");
  }

  @Test
  void anUploadWithoutAnAnswerTimesOutAfterItsLastByte() throws Exception {
    resume.countDown();
    serveOne(SIZE, 0, false);
    HttpTimeoutException e =
        assertThrows(
            HttpTimeoutException.class,
            () -> upload(Duration.ofMinutes(5), Duration.ofMillis(500)));
    assertEquals("no answer 0.5 s after the upload", e.getMessage());
  }

  @Test
  void aRequestWithoutABodyIsNotWatched() {
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/")).GET().build();
    HttpRequest head =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build();
    assertEquals(null, WatchedBody.of(get));
    assertEquals(null, WatchedBody.of(head));
  }
}
