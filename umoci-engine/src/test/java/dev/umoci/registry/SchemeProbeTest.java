package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which scheme {@code --tls-verify=false} settles on for a host with an explicit port: plain HTTP
 * first, without a TLS handshake, when the port speaks it (HTTPS on such a port is checked against
 * the real registry in {@code RegistryAuthTest}). The server here is a raw socket that records the
 * first byte of every connection: a TLS ClientHello starts with 0x16, an HTTP request with 'G'.
 */
class SchemeProbeTest {
  private final List<Integer> firstBytes = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> answered = Collections.synchronizedList(new ArrayList<>());

  /** Answers each connection's request with the next of {@code statuses} (then 200), and closes. */
  private void serve(ServerSocket server, List<Integer> statuses) {
    int next = 0;
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        int first = in.read();
        firstBytes.add(first);
        if (first != 'G') {
          continue;
        }
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          head.append((char) b);
        }
        int status = next < statuses.size() ? statuses.get(next++) : 200;
        answered.add(status);
        OutputStream out = s.getOutputStream();
        out.write(
            ("HTTP/1.1 "
                    + status
                    + " X\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                    + "Connection: close\r\n\r\n{}")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        // closed: the test is over
      }
    }
  }

  private void connect(List<Integer> statuses) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> serve(server, statuses), "scheme-probe-server");
      t.setDaemon(true);
      t.start();
      RegistryOptions options =
          RegistryOptions.builder()
              .tlsVerify(false)
              .environment(Map.of())
              .backoff(Duration.ofMillis(10))
              .build();
      try (RegistryClient c =
          RegistryClient.connect("127.0.0.1:" + server.getLocalPort(), options)) {
        assertEquals("127.0.0.1:" + server.getLocalPort(), c.registry());
      }
    }
  }

  @Test
  void plainRegistryOnAnExplicitPortIsReachedWithoutATlsHandshake() throws Exception {
    connect(List.of());
    assertEquals(List.of((int) 'G'), firstBytes, "one plain HTTP request, no ClientHello");
    assertEquals(List.of(200), answered);
  }

  @Test
  void busyPlainRegistryIsRetriedOnPlainHttp() throws Exception {
    connect(List.of(503, 429));
    assertEquals(List.of((int) 'G', (int) 'G', (int) 'G'), firstBytes, "no ClientHello");
    assertEquals(List.of(503, 429, 200), answered);
  }
}
