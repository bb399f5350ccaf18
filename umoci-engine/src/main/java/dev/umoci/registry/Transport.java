package dev.umoci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.oci.spec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP exchanges with one registry on {@code java.net.http}: the base URL (HTTPS; plain HTTP only
 * when TLS verification is off and HTTPS fails), authentication on challenge, bounded retries with
 * exponential backoff on 429, 5xx and dropped connections, and redirects followed by hand (a
 * redirect to another host, such as a storage CDN, does not get our {@code Authorization}).
 */
final class Transport {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
  private static final int MAX_REDIRECTS = 5;
  private static final long MAX_RETRY_AFTER_MILLIS = 10_000;

  /** Until the response headers of one request arrive (a blob body may take longer). */
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  /** For the HTTPS attempt at a registry that may be plain HTTP. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

  /**
   * The JDK client moves bodies in buffers of {@code jdk.httpclient.bufsize} bytes (16 KiB by
   * default): one socket read, one hand-over between its selector thread and ours, and for uploads
   * one file read per buffer. 256 KiB cuts that work 16-fold for blobs of hundreds of MB (system
   * CPU of a 267 MB pull: 0.5-0.9 s to 0.3 s). Read once, when the JDK's client is first used, so
   * it is set before any client is built; a value given with {@code -D} wins.
   */
  static final int BUFFER_SIZE = 256 << 10;

  static {
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", Integer.toString(BUFFER_SIZE));
    }
  }

  private final String registry;
  private final RegistryOptions options;
  private final HttpClient http;
  private final Authenticator auth;
  private final URI base;
  private final Duration timeout;

  private Transport(
      String registry,
      RegistryOptions options,
      HttpClient http,
      Authenticator auth,
      URI base,
      Duration timeout) {
    this.registry = registry;
    this.options = options;
    this.http = http;
    this.auth = auth;
    this.base = base;
    this.timeout = timeout;
  }

  /**
   * Connects: checks {@code /v2/} (which also tells whether and how the registry wants
   * authentication).
   */
  static Transport open(String registry, String host, RegistryOptions options) throws IOException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(30))
            .sslContext(
                options.tlsVerify()
                    ? TrustConfig.verifying(options.certDir())
                    : TrustConfig.trustingAll())
            .build();
    try {
      return open(registry, host, options, http);
    } catch (IOException | RuntimeException e) {
      shutdown(http, registry);
      throw e;
    }
  }

  private static Transport open(
      String registry, String host, RegistryOptions options, HttpClient http) throws IOException {
    Authenticator auth = new Authenticator(registry, options.credentialResolver(), http);
    URI https = URI.create("https://" + host);
    if (options.tlsVerify()) {
      Transport t = new Transport(registry, options, http, auth, https, REQUEST_TIMEOUT);
      t.ping();
      return t;
    }
    // A server that speaks plain HTTP may never answer a TLS handshake: bound the probe.
    Transport tls =
        new Transport(
            registry, options.toBuilder().attempts(1).build(), http, auth, https, PROBE_TIMEOUT);
    try {
      tls.ping();
      return new Transport(registry, options, http, auth, https, REQUEST_TIMEOUT);
    } catch (RegistryUnreachableException e) {
      LOG.debug("registry {}: HTTPS failed ({}), trying plain HTTP", registry, e.getMessage());
    }
    Transport plain =
        new Transport(registry, options, http, auth, URI.create("http://" + host), REQUEST_TIMEOUT);
    plain.ping();
    return plain;
  }

  String registry() {
    return registry;
  }

  /**
   * Stops the HTTP client: its connections are closed and its selector thread ends. That thread
   * waits for network events inside a system call, and a JVM that exits while any thread is in
   * native code waits 300 ms for it (HotSpot's {@code VM_Exit}), so a command that does not stop
   * the client takes 0.3-0.5 s longer to exit. The JDK's client has {@code shutdownNow()} from Java
   * 21; on 17 its selector thread, named {@code HttpClient-<id>-SelectorManager} after the client's
   * id, ends its loop when interrupted. Idempotent; requests after it fail.
   */
  void close() {
    shutdown(http, registry);
  }

  private static void shutdown(HttpClient http, String registry) {
    try {
      HttpClient.class.getMethod("shutdownNow").invoke(http);
      return;
    } catch (NoSuchMethodException e) {
      // Java 17-20: interrupt the selector thread below
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("registry {}: cannot shut the HTTP client down: {}", registry, e.toString());
      return;
    }
    String text = http.toString();
    int open = text.lastIndexOf('(');
    if (open < 0 || !text.endsWith(")")) {
      return;
    }
    String name = "HttpClient-" + text.substring(open + 1, text.length() - 1) + "-SelectorManager";
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        t.interrupt();
      }
    }
  }

  RegistryOptions options() {
    return options;
  }

  /** {@code base} + {@code path} (a path starting with {@code /v2/}). */
  URI uri(String path) {
    return base.resolve(path);
  }

  /** Resolves a {@code Location} header against the registry's base URL. */
  URI resolve(String location) {
    return base.resolve(location);
  }

  private void ping() throws IOException {
    HttpResponse<InputStream> r =
        send("ping /v2/", null, uri("/v2/"), u -> HttpRequest.newBuilder(u).GET(), true);
    try (InputStream in = r.body()) {
      in.readNBytes(1 << 16);
    }
    int s = r.statusCode();
    if (s == 401) {
      auth.remember(AuthChallenge.parse(r.headers().allValues("WWW-Authenticate")));
    } else if (s != 200) {
      throw new RegistryException(
          RegistryException.where(registry, null)
              + "not an OCI distribution registry: /v2/ answered "
              + s,
          s);
    }
  }

  /**
   * Sends one request (built by {@code request} for a URI) and returns the response, whatever its
   * status except: a 401 is answered once by authenticating and sending again; 401/403 after that
   * are a {@link RegistryAuthException}; 429/5xx and dropped connections are retried when {@code
   * retry} (the request can be repeated as is) up to the configured attempts; redirects of GET and
   * HEAD are followed. The caller closes the body.
   *
   * @param scope the access the request needs; null for no authentication
   */
  HttpResponse<InputStream> send(
      String what, Scope scope, URI uri, Function<URI, HttpRequest.Builder> request, boolean retry)
      throws IOException {
    int attempt = 0;
    int redirects = 0;
    boolean reauthenticated = false;
    boolean withAuth = true;
    String repository = scope == null ? null : scope.repository();
    while (true) {
      attempt++;
      HttpRequest.Builder b = request.apply(uri).timeout(timeout);
      if (withAuth) {
        String header = auth.header(scope);
        if (header != null) {
          b.header("Authorization", header);
        }
      }
      HttpRequest built = b.build();
      HttpResponse<InputStream> r;
      try {
        r = http.send(built, HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(what + ": interrupted");
      } catch (IOException e) {
        RegistryUnreachableException u = unreachable(what, repository, e);
        if (!u.retryable() || !retry || attempt >= options.attempts()) {
          throw u;
        }
        LOG.debug("{}, trying again", u.getMessage());
        pause(attempt, null);
        continue;
      }
      int s = r.statusCode();
      if (s == 401 && scope != null && withAuth && !reauthenticated) {
        drain(r);
        reauthenticated = true;
        if (auth.challenged(
            AuthChallenge.parse(r.headers().allValues("WWW-Authenticate")), scope)) {
          attempt--;
          continue;
        }
        throw auth.refused(scope, s, what, null);
      }
      if ((s == 401 || s == 403) && scope != null) {
        String code = errorCode(readError(r));
        throw auth.refused(scope, s, what, code);
      }
      if ((s == 429 || s >= 500) && retry && attempt < options.attempts()) {
        drain(r);
        LOG.debug("registry {}: {} answered {}, trying again", registry, what, s);
        pause(attempt, r.headers().firstValue("Retry-After").orElse(null));
        continue;
      }
      if (s >= 300
          && s < 400
          && r.headers().firstValue("Location").isPresent()
          && (built.method().equals("GET") || built.method().equals("HEAD"))) {
        drain(r);
        if (++redirects > MAX_REDIRECTS) {
          throw new RegistryException(
              RegistryException.where(registry, repository) + what + ": too many redirects", s);
        }
        URI next = uri.resolve(r.headers().firstValue("Location").get());
        withAuth = withAuth && sameOrigin(uri, next);
        uri = next;
        attempt--;
        continue;
      }
      return r;
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getAuthority() != null
        && a.getAuthority().equalsIgnoreCase(b.getAuthority());
  }

  private void pause(int attempt, String retryAfter) throws InterruptedIOException {
    long millis = options.backoff().toMillis() << Math.min(attempt - 1, 10);
    if (retryAfter != null) {
      try {
        millis =
            Math.max(
                millis, Math.min(Long.parseLong(retryAfter.trim()) * 1000, MAX_RETRY_AFTER_MILLIS));
      } catch (NumberFormatException e) {
        // an HTTP date: keep our own backoff
      }
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  /** Maps a failed exchange to one line; DNS and TLS failures are not retryable. */
  RegistryUnreachableException unreachable(String what, String repository, IOException e) {
    boolean retryable =
        !(isDns(e) || e instanceof SSLException || e.getCause() instanceof SSLException);
    return new RegistryUnreachableException(
        RegistryException.where(registry, repository) + what + ": " + describe(e), retryable, e);
  }

  private static boolean isDns(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  /** A short description of a transport failure. */
  static String describe(IOException e) {
    if (isDns(e)) {
      return "cannot resolve host name";
    }
    if (e instanceof HttpConnectTimeoutException) {
      return "connection timed out";
    }
    if (e instanceof HttpTimeoutException) {
      return "request timed out";
    }
    if (e instanceof SSLException || e.getCause() instanceof SSLException) {
      Throwable t = e instanceof SSLException ? e : e.getCause();
      return "TLS handshake failed: " + t.getMessage();
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String m = e.getMessage();
    return "connection dropped" + (m == null ? "" : " (" + m.lines().findFirst().orElse("") + ")");
  }

  /** Reads (at most 64 KiB of) an error body and closes it. */
  static byte[] readError(HttpResponse<InputStream> r) throws IOException {
    try (InputStream in = r.body()) {
      return in.readNBytes(1 << 16);
    }
  }

  /** Closes a body without reading it: the connection is dropped instead of reused. */
  static void abandon(HttpResponse<InputStream> r) {
    try {
      r.body().close();
    } catch (IOException e) {
      // nothing to do: the connection is gone either way
    }
  }

  static void drain(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      in.readNBytes(1 << 16);
    } catch (IOException e) {
      // the connection is dropped instead of reused
    }
  }

  /** The first {@code errors[].code} of a distribution error body, or null. */
  static String errorCode(byte[] body) {
    try {
      JsonNode json = Json.parse(body, JsonNode.class, "error");
      JsonNode first = json.path("errors").path(0);
      String code = first.path("code").asText("");
      return code.isEmpty() ? null : code;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The error for an unexpected status, by kind: a 404 of a manifest request (or with code {@code
   * MANIFEST_UNKNOWN}/{@code NAME_UNKNOWN}) is a {@link ManifestUnknownException}; 415 and {@code
   * MANIFEST_INVALID} an {@link UnsupportedMediaTypeException}; anything else a {@link
   * RegistryException} with the status and the registry's error code.
   */
  RegistryException failure(HttpResponse<InputStream> r, String what, String repository)
      throws IOException {
    int s = r.statusCode();
    String code = errorCode(readError(r));
    String line =
        RegistryException.where(registry, repository)
            + what
            + ": "
            + (code == null ? "" : code + ", ")
            + "HTTP "
            + s;
    boolean manifestRequest = what.contains("manifest");
    if (s == 404
        && (code == null && manifestRequest
            || "MANIFEST_UNKNOWN".equals(code)
            || "NAME_UNKNOWN".equals(code))) {
      return new ManifestUnknownException(line, s);
    }
    if (s == 415 || (s == 400 && "MANIFEST_INVALID".equals(code))) {
      return new UnsupportedMediaTypeException(line);
    }
    return new RegistryException(line, s);
  }
}
