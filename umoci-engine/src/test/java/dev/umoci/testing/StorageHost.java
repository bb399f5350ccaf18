package dev.umoci.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The storage host a registry redirects blob requests to (what S3 or a CDN is to a real registry),
 * on loopback, over plain HTTP or TLS (self-signed, for 127.0.0.1): serves the files below a
 * directory to {@code GET} and {@code HEAD} (404 for anything else there is, or outside it). A
 * single {@code Range: bytes=a-b} (or {@code a-}) is answered 206 with {@code Content-Range}; any
 * other {@code Range} is ignored (200, the whole file), as RFC 9110 allows. Every request is
 * recorded ({@link #requests()}). {@link #fault} makes it lie about chosen files.
 */
public final class StorageHost implements AutoCloseable {
  /** What the host does wrong when serving a file. */
  public enum Fault {
    /** The byte in the middle of the file is flipped, in every answer that holds it. */
    FLIP_BYTE,
    /**
     * The body ends halfway: half of the file or of the range asked for, with a matching length.
     */
    CUT_SHORT,
    /** {@code Range} is ignored: 200 with the whole file. */
    IGNORE_RANGE
  }

  /**
   * One request as it came: method, path, the {@code Range} header (null without), whether it
   * carried {@code Authorization} or {@code Proxy-Authorization}, and the status answered.
   */
  public record Request(
      String method, String path, String range, boolean credentials, int status) {}

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private final HttpServer server;
  private final Path root;
  private final String scheme;
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  /** Faults by a part of the path (such as a digest's hex); "" for every file. */
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();

  private StorageHost(HttpServer server, Path root, String scheme) {
    this.server = server;
    this.root = root.toAbsolutePath().normalize();
    this.scheme = scheme;
    server.createContext("/", this::handle);
    server.start();
  }

  /** A host on plain HTTP serving the files below {@code root} (which may not exist yet). */
  public static StorageHost plain(Path root) throws IOException {
    return new StorageHost(
        HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), root, "http");
  }

  /**
   * A host on TLS serving the files below {@code root}; its self-signed certificate and key are
   * made in {@code certDir}.
   */
  public static StorageHost tls(Path root, Path certDir) throws Exception {
    SSLContext ctx = TestRegistry.serverTls(certDir, "storage");
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(ctx));
    return new StorageHost(https, root, "https");
  }

  /** {@code http(s)://127.0.0.1:<port>}: the base URL for a registry's redirects. */
  public URI uri() {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The requests so far, in the order they were answered. */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /**
   * From now on serves the files whose path contains {@code pathPart} (such as a blob digest's hex;
   * "" for every file) with {@code fault}.
   */
  public void fault(String pathPart, Fault fault) {
    faults.put(pathPart, fault);
  }

  /** Forgets the requests and the faults. */
  public void reset() {
    requests.clear();
    faults.clear();
  }

  private Fault faultFor(String path) {
    for (var e : faults.entrySet()) {
      if (path.contains(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      String range = ex.getRequestHeaders().getFirst("Range");
      boolean credentials =
          ex.getRequestHeaders().containsKey("Authorization")
              || ex.getRequestHeaders().containsKey("Proxy-Authorization");
      // Recorded before the answer goes out: a client that has it finds it recorded.
      answer(
          ex,
          method,
          path,
          range,
          s -> requests.add(new Request(method, path, range, credentials, s)));
    }
  }

  /** Answers one request; tells {@code sending} the status just before sending it. */
  private void answer(
      HttpExchange ex, String method, String path, String range, IntConsumer sending)
      throws IOException {
    Path file = root.resolve(path.substring(1)).normalize();
    boolean head = method.equals("HEAD");
    if (!(head || method.equals("GET"))) {
      sending.accept(405);
      ex.sendResponseHeaders(405, -1);
      return;
    }
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      sending.accept(404);
      ex.sendResponseHeaders(404, -1);
      return;
    }
    byte[] content = Files.readAllBytes(file);
    Fault fault = faultFor(path);
    if (fault == Fault.FLIP_BYTE) {
      content[content.length / 2] ^= 1;
    }
    int status = 200;
    int start = 0;
    int end = content.length; // exclusive
    Matcher m = range == null || fault == Fault.IGNORE_RANGE ? null : RANGE.matcher(range);
    if (m != null && m.matches()) {
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? content.length - 1 : Long.parseLong(m.group(2));
      if (first >= content.length || last < first) {
        ex.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
        sending.accept(416);
        ex.sendResponseHeaders(416, -1);
        return;
      }
      status = 206;
      start = (int) first;
      end = (int) Math.min(last + 1, content.length);
      ex.getResponseHeaders()
          .set("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + content.length);
    }
    byte[] body = Arrays.copyOfRange(content, start, end);
    if (fault == Fault.CUT_SHORT) {
      body = Arrays.copyOf(body, body.length / 2);
    }
    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
    ex.getResponseHeaders().set("Accept-Ranges", "bytes");
    if (head) {
      // The JDK's server sends no length of its own for HEAD; this one stays.
      ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      sending.accept(status);
      ex.sendResponseHeaders(status, -1);
      return;
    }
    sending.accept(status);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    ex.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
