package dev.umoci.cds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;

/**
 * An in-memory OCI distribution registry on the JDK's {@code com.sun.net.httpserver}, on a loopback
 * port, for the CDS training run only: just enough of the protocol (ping, blob {@code HEAD}/{@code
 * GET}, monolithic and chunked uploads, cross-repository mounts, manifests by tag and digest) for
 * {@code umoci copy} to push, pull and mount through it, on plain HTTP or HTTPS, so that the HTTP
 * client, the registry classes and the TLS client classes are in the archive. It trusts what it is
 * sent (no digest checks, no authentication) and is never part of the command line's runtime path.
 */
final class TrainingRegistry implements AutoCloseable {
  private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

  private record Stored(String type, byte[] bytes) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, Stored> manifests = new ConcurrentHashMap<>();
  private final Map<String, byte[]> uploads = new ConcurrentHashMap<>();
  private final AtomicInteger uploadIds = new AtomicInteger();

  private TrainingRegistry(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a registry on plain HTTP on a free loopback port. */
  static TrainingRegistry start() throws IOException {
    return start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16));
  }

  /** Starts a registry on HTTPS with {@code tls} on a free loopback port. */
  static TrainingRegistry startTls(SSLContext tls) throws IOException {
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return start(server);
  }

  private static TrainingRegistry start(HttpServer server) {
    ExecutorService executor = Executors.newFixedThreadPool(4);
    TrainingRegistry registry = new TrainingRegistry(server, executor);
    server.createContext("/", registry::handle);
    server.setExecutor(executor);
    server.start();
    return registry;
  }

  /** {@code 127.0.0.1:<port>}, the registry part of a reference. */
  String host() {
    return server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  /**
   * Stores an image under {@code repo:tag} as a push would have: a config and one layer, an empty
   * tar (its end-of-archive records, padded to 10 KiB) gzip-compressed without compression, so that
   * a pull in parts of 64 bytes ({@link CdsTraining}) splits both blobs. For a training run that
   * pulls before it pushes: it needs no command that builds an image. Returns its reference without
   * the transport, {@code host/repo:tag}.
   */
  String seedImage(String repo, String tag) throws IOException {
    byte[] tar = new byte[10 * 1024];
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new StoredGzip(gzip)) {
      out.write(tar);
    }
    String layer = store(gzip.toByteArray());
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
                + sha256(tar)
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    String configDigest = store(config);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MANIFEST_TYPE
                + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                + "\"digest\":\""
                + configDigest
                + "\",\"size\":"
                + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\""
                + layer
                + "\",\"size\":"
                + blobs.get(layer).length
                + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    Stored stored = new Stored(MANIFEST_TYPE, manifest);
    manifests.put(repo + "@sha256:" + sha256(manifest), stored);
    manifests.put(repo + "@" + tag, stored);
    return host() + "/" + repo + ":" + tag;
  }

  /** Stores a blob; returns its digest. */
  private String store(byte[] blob) {
    String digest = "sha256:" + sha256(blob);
    blobs.put(digest, blob);
    return digest;
  }

  /** A gzip stream whose deflate blocks are stored, not compressed. */
  private static final class StoredGzip extends GZIPOutputStream {
    StoredGzip(OutputStream out) throws IOException {
      super(out);
      def.setLevel(Deflater.NO_COMPRESSION);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      byte[] body;
      try (InputStream in = x.getRequestBody()) {
        body = in.readAllBytes();
      }
      URI uri = x.getRequestURI();
      String path = uri.getPath();
      String method = x.getRequestMethod();
      if (path.equals("/v2/")) {
        reply(x, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), null);
        return;
      }
      int blobAt = path.lastIndexOf("/blobs/");
      int manifestAt = path.lastIndexOf("/manifests/");
      if (path.startsWith("/v2/") && path.contains("/blobs/uploads/")) {
        upload(x, path.substring(4, path.indexOf("/blobs/uploads/")), method, uri, body);
      } else if (path.startsWith("/v2/") && blobAt > 0) {
        byte[] blob = blobs.get(path.substring(blobAt + 7));
        if (blob == null) {
          reply(x, 404, null, new byte[0], null);
        } else {
          blob(x, blob, path.substring(blobAt + 7));
        }
      } else if (path.startsWith("/v2/") && manifestAt > 0) {
        manifest(x, method, path.substring(4, manifestAt), path.substring(manifestAt + 11), body);
      } else {
        reply(x, 404, null, new byte[0], null);
      }
    }
  }

  private void upload(HttpExchange x, String repo, String method, URI uri, byte[] body)
      throws IOException {
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    Map<String, String> params = parameters(query);
    if (method.equals("POST")) {
      String mount = params.get("mount");
      if (mount != null && blobs.containsKey(mount)) {
        reply(x, 201, null, new byte[0], mount);
        return;
      }
      String id = Integer.toString(uploadIds.incrementAndGet());
      uploads.put(id, new byte[0]);
      x.getResponseHeaders().set("Location", "/v2/" + repo + "/blobs/uploads/" + id);
      reply(x, 202, null, new byte[0], null);
      return;
    }
    String id = uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1);
    byte[] sofar = uploads.get(id);
    if (sofar == null) {
      reply(x, 404, null, new byte[0], null);
      return;
    }
    byte[] joined = new byte[sofar.length + body.length];
    System.arraycopy(sofar, 0, joined, 0, sofar.length);
    System.arraycopy(body, 0, joined, sofar.length, body.length);
    if (method.equals("PATCH")) {
      uploads.put(id, joined);
      x.getResponseHeaders().set("Location", "/v2/" + repo + "/blobs/uploads/" + id);
      reply(x, 202, null, new byte[0], null);
    } else {
      uploads.remove(id);
      String digest = params.get("digest");
      blobs.put(digest, joined);
      reply(x, 201, null, new byte[0], digest);
    }
  }

  private void manifest(HttpExchange x, String method, String repo, String ref, byte[] body)
      throws IOException {
    if (method.equals("PUT")) {
      String digest = "sha256:" + sha256(body);
      Stored s = new Stored(x.getRequestHeaders().getFirst("Content-Type"), body);
      manifests.put(repo + "@" + digest, s);
      manifests.put(repo + "@" + ref, s);
      reply(x, 201, null, new byte[0], digest);
      return;
    }
    Stored s = manifests.get(repo + "@" + ref);
    if (s == null) {
      byte[] error =
          "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8);
      reply(x, 404, "application/json", error, null);
      return;
    }
    reply(x, 200, s.type(), s.bytes(), "sha256:" + sha256(s.bytes()));
  }

  /**
   * A blob, or the part of it that a {@code Range: bytes=FIRST-LAST} header asks for (206 with its
   * {@code Content-Range}), so that the pull's parallel range requests are trained too.
   */
  private static void blob(HttpExchange x, byte[] blob, String digest) throws IOException {
    String range = x.getRequestHeaders().getFirst("Range");
    if (range == null || !range.startsWith("bytes=")) {
      reply(x, 200, "application/octet-stream", blob, digest);
      return;
    }
    int dash = range.indexOf('-');
    int first = Integer.parseInt(range.substring(6, dash));
    int last = Math.min(blob.length - 1, Integer.parseInt(range.substring(dash + 1)));
    x.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + blob.length);
    reply(x, 206, "application/octet-stream", Arrays.copyOfRange(blob, first, last + 1), digest);
  }

  private static void reply(HttpExchange x, int status, String type, byte[] body, String digest)
      throws IOException {
    if (type != null) {
      x.getResponseHeaders().set("Content-Type", type);
    }
    if (digest != null) {
      x.getResponseHeaders().set("Docker-Content-Digest", digest);
    }
    boolean head = x.getRequestMethod().equals("HEAD");
    if (head) {
      x.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
    }
    x.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Map<String, String> parameters(String query) {
    Map<String, String> out = new ConcurrentHashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            pair.substring(0, eq),
            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
