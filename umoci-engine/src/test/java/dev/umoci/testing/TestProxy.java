package dev.umoci.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP proxy on a loopback port for tests: {@code CONNECT host:port} opens a tunnel, any
 * other request (absolute-form, as to a forward proxy) is passed on as it is. Whatever the client
 * names, every connection goes to one {@code target} port on 127.0.0.1, so a registry can be named
 * by an address the client must not reach directly (such as 192.0.2.1, TEST-NET-1) without DNS.
 * With credentials set, a request without the matching Basic {@code Proxy-Authorization} gets a
 * {@code 407}. Records the first line of every request it served and every 407 it sent.
 */
public final class TestProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final String expectedAuth;
  private final List<String> served = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  private TestProxy(int target, String user, String password) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = target;
    this.expectedAuth =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Thread t = new Thread(this::accept, "test-proxy");
    t.setDaemon(true);
    t.start();
  }

  /** A proxy that forwards every connection to 127.0.0.1:{@code target}; user null: no auth. */
  public static TestProxy start(int target, String user, String password) throws IOException {
    return new TestProxy(target, user, password);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The first lines of the requests passed on (CONNECT or absolute-form). */
  public List<String> served() {
    return served;
  }

  /** The first lines of the requests answered with 407. */
  public List<String> refused() {
    return refused;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        open.add(s);
        Thread t = new Thread(() -> serve(s), "test-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          return;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String first = text.substring(0, text.indexOf("\r\n"));
        if (expectedAuth != null && !hasHeader(text, "proxy-authorization", expectedAuth)) {
          refused.add(first);
          out.write(
              ("HTTP/1.1 407 Proxy Authentication Required\r\n"
                      + "Proxy-Authenticate: Basic realm=\"test-proxy\"\r\n"
                      + "Content-Length: 0\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          continue;
        }
        served.add(first);
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(upstream);
        if (first.startsWith("CONNECT ")) {
          out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
        } else {
          upstream.getOutputStream().write(head);
        }
        pipe(upstream.getInputStream(), out);
        in.transferTo(upstream.getOutputStream());
        upstream.close();
        return;
      }
    } catch (IOException e) {
      // the client or the registry went away
    }
  }

  private static void pipe(InputStream from, OutputStream to) {
    Thread t =
        new Thread(
            () -> {
              try {
                from.transferTo(to);
                to.close();
              } catch (IOException e) {
                // closed
              }
            },
            "test-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  private static boolean hasHeader(String head, String name, String value) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0
          && line.substring(0, colon).trim().equalsIgnoreCase(name)
          && line.substring(colon + 1).trim().equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** The request line and headers up to the blank line, or null at the end of the stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // keep closing
      }
    }
  }
}
