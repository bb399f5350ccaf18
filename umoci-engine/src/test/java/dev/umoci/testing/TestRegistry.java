package dev.umoci.testing;

import dev.umoci.registry.RegistryOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (the CNCF distribution registry 2.8) for tests: started on a
 * free loopback port with its own configuration and storage below a temporary directory, stopped by
 * {@link #close()}. Four set-ups: plain HTTP without authentication; TLS with a self-signed
 * certificate (made here with {@code openssl}) and htpasswd Basic authentication ({@code htpasswd
 * -B}); TLS that requires client certificates (mutual TLS); and Bearer tokens from a {@link
 * TokenServer}. The Basic and token set-ups can answer blob {@code GET} and {@code HEAD} with a 307
 * redirect to a storage host instead of serving the blob (distribution's {@code redirect} storage
 * middleware, as registries on S3 or behind a CDN do): the redirect goes to {@code <base
 * URL>/docker/registry/v2/blobs/sha256/<2 hex>/<hex>/data} (2.8 ignores the base URL's path), the
 * path of the blob's file below {@link #storageRoot}, which a {@link StorageHost} can serve.
 */
public final class TestRegistry implements AutoCloseable {
  public static final String REGISTRY = "/usr/bin/docker-registry";
  public static final String OPENSSL = "/usr/bin/openssl";
  public static final String HTPASSWD = "/usr/bin/htpasswd";

  private final Process process;
  private final int port;
  private final Path dir;
  private final Path certDir;

  private TestRegistry(Process process, int port, Path dir, Path certDir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.certDir = certDir;
  }

  /** A registry on plain HTTP without authentication. */
  public static TestRegistry plain(Path dir) throws Exception {
    return start(dir, "", false, null, null);
  }

  /**
   * Where a registry started in {@code dir} keeps its storage (its filesystem driver's root
   * directory): serve it with a {@link StorageHost} for blob redirects.
   */
  public static Path storageRoot(Path dir) {
    return dir.resolve("storage");
  }

  /** A registry on TLS (self-signed, for 127.0.0.1) with htpasswd Basic auth of one user. */
  public static TestRegistry tlsWithBasicAuth(Path dir, String user, String password)
      throws Exception {
    return tlsWithBasicAuth(dir, user, password, null);
  }

  /**
   * {@link #tlsWithBasicAuth(Path, String, String)} that redirects blob requests to {@code
   * blobRedirect} (null: does not).
   */
  public static TestRegistry tlsWithBasicAuth(
      Path dir, String user, String password, URI blobRedirect) throws Exception {
    Interop.requireTool(OPENSSL);
    Interop.requireTool(HTPASSWD);
    Files.createDirectories(dir);
    Path certs = Files.createDirectories(dir.resolve("certs"));
    selfSignedCertificate(certs.resolve("ca.crt"), dir.resolve("key.pem"));
    ExternalTool.Result h = ExternalTool.run(HTPASSWD, "-Bbn", user, password).assertSuccess();
    Files.writeString(dir.resolve("htpasswd"), h.stdout());
    String config =
        "  tls:\n"
            + "    certificate: "
            + certs.resolve("ca.crt")
            + "\n    key: "
            + dir.resolve("key.pem")
            + "\nauth:\n  htpasswd:\n    realm: test-realm\n    path: "
            + dir.resolve("htpasswd")
            + "\n";
    return start(dir, config, true, certs, blobRedirect);
  }

  /**
   * A registry on TLS (self-signed, for 127.0.0.1; its certificate is {@code certs/ca.crt}) that
   * requires a client certificate signed by its own client CA ({@code http.tls.clientcas}); make
   * client certificates with {@link #clientCertificate}.
   */
  public static TestRegistry mutualTls(Path dir) throws Exception {
    Interop.requireTool(OPENSSL);
    Files.createDirectories(dir);
    Path certs = Files.createDirectories(dir.resolve("certs"));
    selfSignedCertificate(certs.resolve("ca.crt"), dir.resolve("key.pem"));
    selfSigned(
        dir.resolve("client-ca.crt"), dir.resolve("client-ca.key"), "/CN=umoci test client CA");
    String config =
        "  tls:\n"
            + "    certificate: "
            + certs.resolve("ca.crt")
            + "\n    key: "
            + dir.resolve("key.pem")
            + "\n    clientcas:\n      - "
            + dir.resolve("client-ca.crt")
            + "\n";
    return start(dir, config, true, certs, null);
  }

  /**
   * Makes a client certificate {@code cert} signed by this registry's client CA ({@link
   * #mutualTls}) for the key {@code key}, which {@code keyCommand} (openssl's arguments, with
   * {@code KEY} for the key's path) writes first: {@code genpkey -algorithm RSA -out KEY} (PKCS#8),
   * {@code genrsa -traditional -out KEY 2048} (PKCS#1), {@code ecparam -name prime256v1 -genkey
   * -noout -out KEY} (SEC1).
   */
  public void clientCertificate(Path cert, Path key, String... keyCommand) throws Exception {
    String[] command = new String[keyCommand.length + 1];
    command[0] = OPENSSL;
    for (int i = 0; i < keyCommand.length; i++) {
      command[i + 1] = keyCommand[i].equals("KEY") ? key.toString() : keyCommand[i];
    }
    ExternalTool.run(command).assertSuccess();
    Path csr = dir.resolve(cert.getFileName() + ".csr");
    ExternalTool.run(
            OPENSSL,
            "req",
            "-new",
            "-key",
            key.toString(),
            "-subj",
            "/CN=umoci test client",
            "-out",
            csr.toString())
        .assertSuccess();
    Path ext = dir.resolve("client-ext.cnf");
    Files.writeString(ext, "extendedKeyUsage=clientAuth\n");
    ExternalTool.run(
            OPENSSL,
            "x509",
            "-req",
            "-in",
            csr.toString(),
            "-CA",
            dir.resolve("client-ca.crt").toString(),
            "-CAkey",
            dir.resolve("client-ca.key").toString(),
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            ext.toString(),
            "-out",
            cert.toString())
        .assertSuccess();
  }

  /** A registry on plain HTTP that accepts tokens signed by {@code tokens}. */
  public static TestRegistry withTokens(Path dir, TokenServer tokens) throws Exception {
    return withTokens(dir, tokens, null);
  }

  /**
   * {@link #withTokens(Path, TokenServer)} that redirects blob requests to {@code blobRedirect}
   * (null: does not).
   */
  public static TestRegistry withTokens(Path dir, TokenServer tokens, URI blobRedirect)
      throws Exception {
    Files.createDirectories(dir);
    Path bundle = dir.resolve("token-root.pem");
    Files.writeString(bundle, tokens.certificatePem());
    String config =
        "auth:\n  token:\n    realm: "
            + tokens.realm()
            + "\n    service: "
            + TokenServer.SERVICE
            + "\n    issuer: "
            + TokenServer.ISSUER
            + "\n    rootcertbundle: "
            + bundle
            + "\n";
    return start(dir, config, false, null, blobRedirect);
  }

  /** Makes a self-signed RSA certificate for 127.0.0.1/localhost and its PKCS#8 key (PEM). */
  public static void selfSignedCertificate(Path cert, Path key) throws Exception {
    selfSigned(cert, key, "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
  }

  /** A self-signed RSA certificate {@code cert} for {@code subject}, its PKCS#8 key {@code key}. */
  private static void selfSigned(Path cert, Path key, String subject, String... extra)
      throws Exception {
    Interop.requireTool(OPENSSL);
    List<String> command =
        new ArrayList<>(
            List.of(
                OPENSSL,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                subject));
    command.addAll(List.of(extra));
    ExternalTool.run(command.toArray(String[]::new)).assertSuccess();
  }

  /**
   * A server TLS context for 127.0.0.1 with a new self-signed certificate and key, made in {@code
   * dir} as {@code NAME.crt} and {@code NAME.key} (for the tests' own HTTPS servers).
   */
  public static javax.net.ssl.SSLContext serverTls(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    selfSignedCertificate(cert, key);
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] pw = name.toCharArray();
    store.setKeyEntry(
        name,
        readPrivateKey(key),
        pw,
        new java.security.cert.Certificate[] {readCertificate(cert)});
    javax.net.ssl.KeyManagerFactory kmf =
        javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, pw);
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** Reads a PEM certificate. */
  public static X509Certificate readCertificate(Path pem) throws Exception {
    try (var in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** Reads a PKCS#8 PEM RSA private key. */
  public static PrivateKey readPrivateKey(Path pem) throws Exception {
    String text = Files.readString(pem);
    String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  private static TestRegistry start(
      Path dir, String extraConfig, boolean tls, Path certDir, URI blobRedirect) throws Exception {
    Interop.requireTool(REGISTRY);
    Files.createDirectories(dir);
    int port = freePort();
    Path storage = Files.createDirectories(storageRoot(dir));
    String config =
        "version: 0.1\n"
            + "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
            + "storage:\n  filesystem:\n    rootdirectory: "
            + storage
            + "\n  delete:\n    enabled: true\n"
            + "http:\n  addr: 127.0.0.1:"
            + port
            + "\n  secret: test-secret\n"
            + extraConfig
            + (blobRedirect == null
                ? ""
                : "middleware:\n  storage:\n    - name: redirect\n      options:\n"
                    + "        baseurl: "
                    + blobRedirect
                    + "\n");
    // "auth:" must be a top-level key, the tls block belongs under http: the config above ends
    // inside http:, so a tls block comes first in extraConfig; "middleware:" (top-level) comes
    // after it.
    Path configFile = dir.resolve("config.yml");
    Files.writeString(configFile, config);
    Process p =
        new ProcessBuilder(REGISTRY, "serve", configFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    TestRegistry registry = new TestRegistry(p, port, dir, certDir);
    try {
      registry.awaitReady(tls);
    } catch (Exception | AssertionError e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  private void awaitReady(boolean tls) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(trustAll())
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    URI uri = URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port + "/v2/");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError("docker-registry exited: " + log());
      }
      try {
        client.send(
            HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        if (e instanceof javax.net.ssl.SSLException
            || e.getCause() instanceof javax.net.ssl.SSLException) {
          return; // it speaks TLS: up, but wants a client certificate (mutualTls)
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("docker-registry did not answer on port " + port + ": " + log());
        }
        Thread.sleep(100);
      }
    }
  }

  private static javax.net.ssl.SSLContext trustAll() throws Exception {
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(
        null,
        new javax.net.ssl.TrustManager[] {
          new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    return ctx;
  }

  /** A free loopback TCP port (closed again; the registry binds it right after). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Registry options for the tests' registries: TLS not verified (plain HTTP allowed), an empty
   * environment (none of the user's credentials, certificates or proxy variables) and a short
   * backoff between retries; callers add what their test needs.
   */
  public static RegistryOptions.Builder insecure() {
    return RegistryOptions.builder()
        .tlsVerify(false)
        .environment(Map.of())
        .backoff(Duration.ofMillis(20));
  }

  /** {@code 127.0.0.1:<port>}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** The directory holding the CA certificate ({@code ca.crt}), for {@code --cert-dir}. */
  public Path certDir() {
    return certDir;
  }

  /** The registry's own log so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
