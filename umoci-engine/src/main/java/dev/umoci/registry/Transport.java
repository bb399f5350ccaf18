package dev.umoci.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP exchanges with one registry on {@code java.net.http}: the base URL (HTTPS; plain HTTP only
 * when TLS verification is off and the registry does not speak HTTPS), authentication on challenge,
 * bounded retries with exponential backoff on 429, 5xx and dropped connections, and redirects
 * followed by hand (a redirect to another host, such as a storage CDN, does not get our {@code
 * Authorization}). Timeouts: until the response headers of a request without a body; for an upload,
 * while it makes no progress and then until its answer ({@link WatchedBody}); for a response body,
 * while it makes no progress ({@link BlobBody}), so no transfer that keeps moving is cut off and
 * none that stopped waits for ever. The client itself is built and stopped by {@link HttpClients};
 * failures are worded by {@link RegistryFailures}.
 */
final class Transport {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
  private static final int MAX_REDIRECTS = 5;
  private static final long MAX_RETRY_AFTER_MILLIS = 10_000;

  /**
   * Until the response headers of one request arrive, or for an upload after its last byte was sent
   * (a body may take longer: it is bounded by the idle timeout instead).
   */
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  /** For the first attempt at a registry whose scheme is not known yet. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

  private final String registry;
  private final RegistryOptions options;
  private final HttpClients.Owned client;
  private final HttpClient http;
  private final Authenticator auth;
  private final URI base;
  private final Duration timeout;
  private final HttpResponse.BodyHandler<InputStream> bodies;

  private Transport(
      String registry,
      RegistryOptions options,
      HttpClients.Owned client,
      Authenticator auth,
      URI base,
      Duration timeout) {
    this.registry = registry;
    this.options = options;
    this.client = client;
    this.http = client.http();
    this.auth = auth;
    this.base = base;
    this.timeout = timeout;
    this.bodies = BlobBody.handler(options.idleTimeout());
  }

  /**
   * Connects: checks {@code /v2/} (which also tells whether and how the registry wants
   * authentication).
   */
  static Transport open(String registry, String host, RegistryOptions options) throws IOException {
    HttpClients.Owned client = HttpClients.build(options, registry);
    try {
      return open(registry, host, options, client);
    } catch (IOException | RuntimeException e) {
      HttpClients.shutdown(client, registry);
      throw e;
    }
  }

  /**
   * With TLS verification on, HTTPS only. With it off, the scheme the registry speaks:
   *
   * <ul>
   *   <li>a host with an explicit port: plain HTTP is tried first. One port speaks one protocol, so
   *       the order only decides how fast the answer comes: a plain registry answers {@code /v2/}
   *       at once, without a TLS handshake (its classes, keys and round trip cost 0.1 s of a pull);
   *       a TLS port answers the plain request with 400 or drops it, and HTTPS follows. The plain
   *       request carries no credentials (none are sent before a challenge).
   *   <li>a host on the default ports (443 and 80 are different servers): HTTPS first, plain HTTP
   *       only when HTTPS cannot be reached, as docker and skopeo do.
   * </ul>
   */
  private static Transport open(
      String registry, String host, RegistryOptions options, HttpClients.Owned client)
      throws IOException {
    Authenticator auth =
        new Authenticator(
            registry,
            options.credentialResolver(),
            client,
            options.sendCredentialsOverHttp(),
            options.idleTimeout());
    URI https = URI.create("https://" + host);
    URI plain = URI.create("http://" + host);
    if (options.tlsVerify()) {
      Transport t = new Transport(registry, options, client, auth, https, REQUEST_TIMEOUT);
      t.ping();
      return t;
    }
    RegistryOptions once = options.toBuilder().attempts(1).build();
    if (plain.getPort() >= 0) {
      RegistryException plainFailure;
      try {
        new Transport(registry, once, client, auth, plain, PROBE_TIMEOUT).ping();
        return new Transport(registry, options, client, auth, plain, REQUEST_TIMEOUT);
      } catch (RegistryException e) {
        if (e.status() != 0 && e.retryable()) {
          // An HTTP server that is busy (429, 5xx): keep to it, with the usual retries.
          Transport t = new Transport(registry, options, client, auth, plain, REQUEST_TIMEOUT);
          t.ping();
          return t;
        }
        plainFailure = e;
        LOG.debug("registry {}: plain HTTP failed ({}), trying HTTPS", registry, e.getMessage());
      }
      Transport tls = new Transport(registry, options, client, auth, https, REQUEST_TIMEOUT);
      try {
        tls.ping();
        return tls;
      } catch (RegistryUnreachableException e) {
        // A plain HTTP answer that is not a registry's says more than a failed TLS handshake,
        // unless the handshake failed for want of a client certificate.
        boolean clientCertificate =
            e instanceof TlsFailureException t
                && t.kind() == TlsFailureException.Kind.CLIENT_CERTIFICATE;
        throw plainFailure instanceof RegistryUnreachableException || clientCertificate
            ? e
            : plainFailure;
      }
    }
    // A server that speaks plain HTTP may never answer a TLS handshake: bound the probe.
    try {
      new Transport(registry, once, client, auth, https, PROBE_TIMEOUT).ping();
      return new Transport(registry, options, client, auth, https, REQUEST_TIMEOUT);
    } catch (RegistryUnreachableException e) {
      LOG.debug("registry {}: HTTPS failed ({}), trying plain HTTP", registry, e.getMessage());
    }
    Transport t = new Transport(registry, options, client, auth, plain, REQUEST_TIMEOUT);
    t.ping();
    return t;
  }

  String registry() {
    return registry;
  }

  /**
   * Stops the HTTP client (see {@link HttpClients#shutdown}): without it the JVM's exit waits for
   * the client's thread. Idempotent; requests after it fail.
   */
  void close() {
    HttpClients.shutdown(client, registry);
  }

  RegistryOptions options() {
    return options;
  }

  /** {@code base} + {@code path} (a path starting with {@code /v2/}). */
  URI uri(String path) {
    return base.resolve(path);
  }

  /**
   * Resolves the {@code Location} header {@code location} of an answer to a request for {@code
   * requested}, as RFC 9110 says: relative to that request's URI.
   *
   * @throws RegistryException naming {@code where} when the header is no URI
   */
  static URI resolveLocation(URI requested, String location, String where)
      throws RegistryException {
    try {
      URI next = requested.resolve(location);
      if (next.getScheme() == null || next.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return next;
    } catch (IllegalArgumentException e) {
      throw new RegistryException(where + ": malformed Location \"" + location + "\"", 0);
    }
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
   * HEAD are followed. The body is a {@link BlobBody} (its reader gives up after the idle timeout
   * without data). The caller closes the body.
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
      HttpRequest.Builder b = client.withCommonHeaders(request.apply(uri), uri);
      if (withAuth) {
        String header = auth.header(scope, uri);
        if (header != null) {
          b.header("Authorization", header);
        }
      }
      HttpRequest built = b.build();
      WatchedBody upload = WatchedBody.of(built);
      HttpResponse<InputStream> r;
      try {
        if (upload == null) {
          built = b.timeout(timeout).build();
          r = http.send(built, bodies);
        } else {
          built = b.method(built.method(), upload).build();
          r = upload.send(http, built, bodies, options.idleTimeout(), timeout);
        }
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
      if (s == 407) {
        drain(r);
        throw new RegistryException(
            RegistryException.where(registry, repository)
                + what
                + ": proxy authentication failed (407)"
                + (client.proxyFor(uri) == null ? "" : " (through " + client.proxyFor(uri) + ")"),
            s);
      }
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
        String code = RegistryFailures.errorCode(RegistryFailures.readError(r));
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
        URI next =
            resolveLocation(
                uri,
                r.headers().firstValue("Location").get(),
                RegistryException.where(registry, repository) + what);
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

  /** Maps a failed exchange to one line (see {@link RegistryFailures#unreachable}). */
  RegistryUnreachableException unreachable(String what, String repository, IOException e) {
    return RegistryFailures.unreachable(registry, what, repository, e, client.proxyFor(base));
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
      if (in == null) {
        return; // the JDK's answer to a refused CONNECT has no body
      }
      in.readNBytes(1 << 16);
    } catch (IOException e) {
      // the connection is dropped instead of reused
    }
  }

  /** The error for an unexpected status (see {@link RegistryFailures#failure}). */
  RegistryException failure(HttpResponse<InputStream> r, String what, String repository)
      throws IOException {
    return RegistryFailures.failure(registry, r, what, repository);
  }
}
