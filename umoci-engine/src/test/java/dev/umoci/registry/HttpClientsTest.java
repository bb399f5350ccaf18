package dev.umoci.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JDK HTTP client as {@link HttpClients} builds it: it runs its tasks inline, so a response is
 * delivered on its selector thread (or the caller's) and no other thread is started; its selector
 * thread is known from the start, and {@link HttpClients#shutdown} ends that thread (on Java 17-20
 * by interrupting it, from 21 with the client's own {@code shutdownNow}).
 */
class HttpClientsTest {
  private static final RegistryOptions OPTIONS =
      RegistryOptions.builder().tlsVerify(false).environment(Map.of()).build();

  @Test
  void responsesAreDeliveredOnTheSelectorThreadAndShutdownEndsIt() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    HttpClients.Owned client = HttpClients.build(OPTIONS);
    try {
      Thread selector = client.selector();
      assertNotNull(selector, "the selector thread that appeared while the client was built");
      assertTrue(selector.isAlive());
      assertTrue(
          selector.getName().matches("HttpClient-[0-9]+-SelectorManager"), selector.getName());
      assertEquals(HttpClients.INLINE, client.http().executor().orElseThrow());

      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      Set<Thread> deliveredOn = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> response =
            client
                .http()
                .send(
                    HttpRequest.newBuilder(uri).build(),
                    info ->
                        recordingThreads(
                            HttpResponse.BodySubscribers.ofString(UTF_8), deliveredOn));
        assertEquals("ok", response.body());
      }
      assertTrue(deliveredOn.contains(selector), "the selector thread delivered the body");
      deliveredOn.remove(selector);
      deliveredOn.remove(Thread.currentThread());
      assertEquals(Set.of(), deliveredOn, "no other thread ran the exchanges");

      HttpClients.shutdown(client, "test");
      selector.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(selector.isAlive(), "the selector thread ended");
      // idempotent
      HttpClients.shutdown(client, "test");
    } finally {
      HttpClients.shutdown(client, "test");
      server.stop(0);
    }
  }

  /** {@code body}, noting the thread of each of its callbacks in {@code threads}. */
  private static <T> HttpResponse.BodySubscriber<T> recordingThreads(
      HttpResponse.BodySubscriber<T> body, Set<Thread> threads) {
    return new HttpResponse.BodySubscriber<>() {
      @Override
      public CompletionStage<T> getBody() {
        return body.getBody();
      }

      @Override
      public void onSubscribe(Flow.Subscription s) {
        threads.add(Thread.currentThread());
        body.onSubscribe(s);
      }

      @Override
      public void onNext(List<ByteBuffer> item) {
        threads.add(Thread.currentThread());
        body.onNext(item);
      }

      @Override
      public void onError(Throwable t) {
        threads.add(Thread.currentThread());
        body.onError(t);
      }

      @Override
      public void onComplete() {
        threads.add(Thread.currentThread());
        body.onComplete();
      }
    };
  }

  @Test
  void eachClientKnowsItsOwnSelectorThread() throws Exception {
    HttpClients.Owned first = HttpClients.build(OPTIONS);
    HttpClients.Owned second = HttpClients.build(OPTIONS);
    try {
      assertNotNull(first.selector());
      assertNotNull(second.selector());
      assertFalse(first.selector() == second.selector());
      HttpClients.shutdown(first, "test");
      first.selector().join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(first.selector().isAlive());
      assertTrue(second.selector().isAlive(), "stopping one client leaves the other running");
    } finally {
      HttpClients.shutdown(first, "test");
      HttpClients.shutdown(second, "test");
    }
  }
}
