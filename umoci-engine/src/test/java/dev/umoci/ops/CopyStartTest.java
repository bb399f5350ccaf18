package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.umoci.registry.RegistryOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Copy#start}: the connection to the source registry of a pull or of a copy between two
 * repositories of one registry is made as soon as the copy is started, before it runs, and the run
 * uses that connection instead of making another. The server answers {@code /v2/} and nothing else,
 * so the run then fails on the manifest, leaving no layout behind.
 */
class CopyStartTest {
  @TempDir Path dir;

  @Test
  void aStartedPullHasCheckedTheRegistryBeforeItRunsAndChecksItOnce() throws Exception {
    startedCopyChecksTheSourceOnceBeforeItRuns(port -> "oci:" + dir.resolve("pulled") + ":1");
  }

  @Test
  void aStartedCopyWithinOneRegistryHasCheckedItBeforeItRunsAndChecksItOnce() throws Exception {
    startedCopyChecksTheSourceOnceBeforeItRuns(port -> "docker://127.0.0.1:" + port + "/app:2");
  }

  private void startedCopyChecksTheSourceOnceBeforeItRuns(IntFunction<String> destination)
      throws Exception {
    AtomicInteger pings = new AtomicInteger();
    CountDownLatch pinged = new CountDownLatch(1);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          int status = 404;
          if (exchange.getRequestURI().getPath().equals("/v2/")) {
            pings.incrementAndGet();
            pinged.countDown();
            status = 200;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    try {
      Path layout = dir.resolve("pulled");
      RegistryOptions registry =
          RegistryOptions.builder()
              .tlsVerify(false)
              .environment(Map.of())
              .attempts(1)
              .backoff(Duration.ofMillis(10))
              .build();
      int port = server.getAddress().getPort();
      Copy.Options options =
          Copy.Options.builder("docker://127.0.0.1:" + port + "/app:1", destination.apply(port))
              .registry(registry)
              .build();

      Copy.Started started = Copy.start(options);
      assertTrue(pinged.await(30, TimeUnit.SECONDS), "the registry was checked before the run");
      assertFalse(Files.exists(layout), "starting touches no layout");

      assertThrows(IOException.class, () -> Copy.run(started));
      assertEquals(1, pings.get(), "the run used the started connection");
      assertFalse(Files.exists(layout), "a failed pull leaves no new layout");
    } finally {
      server.stop(0);
    }
  }
}
