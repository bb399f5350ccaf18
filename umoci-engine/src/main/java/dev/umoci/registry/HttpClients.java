package dev.umoci.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and stops the JDK HTTP client of one registry connection: HTTP/1.1, no automatic redirects
 * (the transport follows them itself), the TLS trust of the options, and the JDK client's buffer
 * size.
 */
final class HttpClients {
  private static final Logger LOG = LoggerFactory.getLogger(HttpClients.class);

  /**
   * The JDK client moves bodies in buffers of {@code jdk.httpclient.bufsize} bytes (16 KiB by
   * default): one socket read, one hand-over between its selector thread and ours, and for uploads
   * one file read per buffer. 256 KiB cut that work 16-fold for blobs of hundreds of MB (system CPU
   * of a 267 MB pull: 0.5-0.9 s to 0.3 s); 512 KiB halves it again: CPU of that pull -6 to -7%
   * (medians of 8 and 10 runs, 1.195 to 1.115 s and 1.30 to 1.22 s), for 8 MB more peak RSS; 1 MiB
   * saved no more and took 20 MB; a push, whose bodies are our own buffers, is unchanged
   * (docs/performance.md, registry, fourth round). The client reads every response into buffers of
   * this size, a few alive per connection at a time. Read once, when the JDK's client is first
   * used, so it is set before any client is built; a value given with {@code -D} wins.
   */
  static final int BUFFER_SIZE = 512 << 10;

  /**
   * The client's executor: every task runs at once on the thread that submits it. The JDK client
   * runs a task inline when it is submitted from one of the caller's threads anyway, and hands it
   * to the executor when it comes from its selector thread; so the selector thread now also parses
   * the responses and delivers their buffers to the body subscribers, instead of waking a worker
   * thread for each buffer (two thread hand-overs per 512 KiB became one). Safe because no body
   * subscriber or publisher of ours blocks in a callback ({@link BlobBody} queues, {@link
   * FileRangePublisher} maps a window of a file), and the JDK's own ({@code ofInputStream}, {@code
   * ofByteArray}, {@code ofString}) do not either. Measured on the large benchmark image against a
   * build with the worker pool, alternating runs (docs/performance.md, registry, seventh round):
   * push 0.660 → 0.605 s CPU (12 runs each), pull unchanged (0.811 against 0.825 s wall, 1.08
   * against 1.07 s CPU, 30 runs each); no worker threads to start.
   */
  static final Executor INLINE = Runnable::run;

  static {
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", Integer.toString(BUFFER_SIZE));
    }
  }

  private HttpClients() {}

  /**
   * A JDK HTTP client together with the one thread it starts: {@code selector}, the client's own
   * selector thread when {@link #build} could tell which one it is (null otherwise). Its tasks run
   * on that thread or on the caller's ({@link #INLINE}).
   */
  record Owned(HttpClient http, Thread selector, EnvironmentProxy proxy, String userAgent) {
    /** How requests to {@code uri} travel (see {@link EnvironmentProxy#describe}), or null. */
    String proxyFor(URI uri) {
      return proxy == null ? null : proxy.describe(uri);
    }

    /**
     * Adds what every request to {@code uri} carries: our {@code User-Agent}, and the proxy's
     * credentials when the request goes through one.
     */
    HttpRequest.Builder withCommonHeaders(HttpRequest.Builder b, URI uri) {
      b.header("User-Agent", userAgent);
      String header = proxy == null ? null : proxy.authorization(uri);
      return header == null ? b : b.header("Proxy-Authorization", header);
    }
  }

  /**
   * A client for a registry reached with {@code options}. With TLS verification on, the trust is
   * set up at once (HTTPS is the only way, and a bad {@code --cert-dir} is reported here); with it
   * off, the TLS context is made only when a connection needs it ({@link LazySslContext}), as a
   * registry on plain HTTP never does. The empty {@link SSLParameters} leave every TLS setting at
   * the context's default (the client adds host name verification and SNI per connection).
   *
   * <p>The client runs its tasks inline ({@link #INLINE}): it starts no thread but its selector
   * thread, which is found as the one that appeared in this thread's group while the client was
   * built, so that {@link #shutdown} need not search for it by name. (The JDK's default executor, a
   * cached pool, would also name its threads with a string concatenation that Java 17 links at the
   * first request.)
   */
  static Owned build(RegistryOptions options) throws IOException {
    return build(options, null);
  }

  /**
   * As {@link #build(RegistryOptions)} for the registry named {@code registry} (as in a reference,
   * {@code host[:port]}; null for none): without an explicit cert dir, its TLS material comes from
   * its {@code certs.d} directory ({@link #perHostCertDir}) when there is one.
   */
  static Owned build(RegistryOptions options, String registry) throws IOException {
    // Before the JDK client's code is loaded: it reads its tunnelling property once.
    EnvironmentProxy proxy =
        proxyVariableSet(options.environment())
            ? EnvironmentProxy.from(options.environment())
            : null;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(30))
            .executor(INLINE);
    CertDirectory certs = certDirectory(options, registry);
    if (options.tlsVerify()) {
      b.sslContext(TrustConfig.verifying(certs));
    } else if (certs == null) {
      b.sslContext(new LazySslContext(TrustConfig::trustingAll)).sslParameters(new SSLParameters());
    } else {
      b.sslContext(new LazySslContext(() -> TrustConfig.trustingAll(certs)))
          .sslParameters(new SSLParameters());
    }
    if (proxy != null) {
      proxy.applyTo(b);
    }
    Set<Thread> before = selectorThreads();
    HttpClient http = b.build();
    Set<Thread> appeared = selectorThreads();
    appeared.removeAll(before);
    return new Owned(
        http, appeared.size() == 1 ? appeared.iterator().next() : null, proxy, options.userAgent());
  }

  /**
   * The TLS material for {@code registry}: the explicit cert dir (which must be a directory), else
   * its {@code certs.d} directory, else none (null). Without either nothing but a few {@code stat}
   * calls is done and no class is loaded (a pull's start-up is measured).
   */
  private static CertDirectory certDirectory(RegistryOptions options, String registry)
      throws IOException {
    if (options.certDir() != null) {
      return CertDirectory.read(options.certDir(), "--cert-dir " + options.certDir());
    }
    Path dir = registry == null ? null : perHostCertDir(options, registry);
    return dir == null ? null : CertDirectory.read(dir, dir.toString());
  }

  /**
   * The first of {@code <root>/<registry>} that exists, for each root of {@link
   * RegistryOptions#perHostCertDirs()} in order (containers-image's {@code dockerCertDir}: {@code
   * ~/.config/containers/certs.d}, {@code /etc/containers/certs.d}, {@code /etc/docker/certs.d});
   * null when none does.
   */
  static Path perHostCertDir(RegistryOptions options, String registry) {
    for (Path root : options.perHostCertDirs()) {
      Path dir = root.resolve(registry);
      if (Files.exists(dir)) {
        return dir;
      }
    }
    return null;
  }

  /**
   * Whether the environment names a proxy ({@link EnvironmentProxy}); checked here so that without
   * one no proxy class is loaded (a pull's start-up is measured). For the same reason the proxy
   * sets itself up on the builder ({@link EnvironmentProxy#applyTo}): handing it over as a {@code
   * ProxySelector} here would make the verifier load it.
   */
  private static boolean proxyVariableSet(Map<String, String> env) {
    for (String name : new String[] {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"}) {
      String v = env.get(name);
      if (v != null && !v.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The live threads of this thread's group and its subgroups that are named as the JDK client's
   * selector threads are ({@code HttpClient-<id>-SelectorManager}): the client starts its selector
   * thread while it is built, in the group of the thread that builds it.
   */
  private static Set<Thread> selectorThreads() {
    ThreadGroup group = Thread.currentThread().getThreadGroup();
    Thread[] threads = new Thread[group.activeCount() + 8];
    int n = group.enumerate(threads, true);
    Set<Thread> selectors = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String name = threads[i].getName();
      if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
        selectors.add(threads[i]);
      }
    }
    return selectors;
  }

  /**
   * Stops {@code client}: its connections are closed and its selector thread ends. The selector
   * thread waits for network events inside a system call, and a JVM that exits while any thread is
   * in native code waits 300 ms for it (HotSpot's {@code VM_Exit}), so a command that does not stop
   * the client takes 0.3-0.5 s longer to exit. The JDK's client has {@code shutdownNow()} from Java
   * 21; on 17 its selector thread ends its loop when interrupted: the one {@link #build} found,
   * else the one named {@code HttpClient-<id>-SelectorManager} after the client's id (which its
   * {@code toString()} shows). Idempotent; requests after it fail.
   */
  static void shutdown(Owned client, String registry) {
    HttpClient http = client.http();
    try {
      HttpClient.class.getMethod("shutdownNow").invoke(http);
      return;
    } catch (NoSuchMethodException e) {
      // Java 17-20: interrupt the selector thread below
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("registry {}: cannot shut the HTTP client down: {}", registry, e.toString());
      return;
    }
    if (client.selector() != null) {
      client.selector().interrupt();
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
}
