package dev.umoci.registry;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
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

  static {
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", Integer.toString(BUFFER_SIZE));
    }
  }

  private HttpClients() {}

  /**
   * A client for a registry reached with {@code options}. With TLS verification on, the trust is
   * set up at once (HTTPS is the only way, and a bad {@code --cert-dir} is reported here); with it
   * off, the TLS context is made only when a connection needs it ({@link LazySslContext}), as a
   * registry on plain HTTP never does. The empty {@link SSLParameters} leave every TLS setting at
   * the context's default (the client adds host name verification and SNI per connection).
   */
  static HttpClient build(RegistryOptions options) throws IOException {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(30));
    if (options.tlsVerify()) {
      b.sslContext(TrustConfig.verifying(options.certDir()));
    } else {
      b.sslContext(new LazySslContext(TrustConfig::trustingAll)).sslParameters(new SSLParameters());
    }
    return b.build();
  }

  /**
   * Stops {@code http}: its connections are closed and its selector thread ends. That thread waits
   * for network events inside a system call, and a JVM that exits while any thread is in native
   * code waits 300 ms for it (HotSpot's {@code VM_Exit}), so a command that does not stop the
   * client takes 0.3-0.5 s longer to exit. The JDK's client has {@code shutdownNow()} from Java 21;
   * on 17 its selector thread, named {@code HttpClient-<id>-SelectorManager} after the client's id,
   * ends its loop when interrupted. Idempotent; requests after it fail.
   */
  static void shutdown(HttpClient http, String registry) {
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
}
