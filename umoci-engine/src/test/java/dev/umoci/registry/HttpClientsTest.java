package dev.umoci.registry;

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
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JDK HTTP client as {@link HttpClients} builds it: it runs on our executor's named daemon
 * threads, its selector thread is known from the start, and {@link HttpClients#shutdown} ends that
 * thread and the workers (on Java 17-20 by interrupting the selector thread, from 21 with the
 * client's own {@code shutdownNow}).
 */
class HttpClientsTest {
  private static final RegistryOptions OPTIONS =
      RegistryOptions.builder().tlsVerify(false).environment(Map.of()).build();

  @Test
  void theClientRunsOnOurWorkersAndShutdownEndsItsThreads() throws Exception {
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
      assertEquals(client.workers(), client.http().executor().orElseThrow());

      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      CompletableFuture<String> completedOn =
          client
              .http()
              .sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
              .thenApplyAsync(
                  r -> r.body() + " " + Thread.currentThread().getName(), client.workers());
      String seen = completedOn.get(30, TimeUnit.SECONDS);
      assertTrue(seen.matches("ok umoci-http-[0-9]+"), seen);

      HttpClients.shutdown(client, "test");
      selector.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(selector.isAlive(), "the selector thread ended");
      assertTrue(client.workers().awaitTermination(30, TimeUnit.SECONDS), "the workers ended");
      // idempotent
      HttpClients.shutdown(client, "test");
    } finally {
      HttpClients.shutdown(client, "test");
      server.stop(0);
    }
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
