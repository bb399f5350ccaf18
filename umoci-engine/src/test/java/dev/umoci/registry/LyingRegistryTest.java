package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.umoci.errors.DigestMismatchException;
import dev.umoci.errors.LimitExceededException;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.ops.Copy;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.TestRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test HTTP server on loopback that speaks the distribution API but lies or fails: blobs whose
 * bytes do not match their digest, blobs cut short, connections dropped, 503 and 429 answers.
 */
class LyingRegistryTest {
  @TempDir Path tmp;
  HttpServer server;
  final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  final Map<String, byte[]> manifests = new ConcurrentHashMap<>();

  /**
   * What the server does to a blob: "wrong", "short", "drop", "busy" (one 503, then one 429),
   * "stall" (half the body, then nothing until the test ends), "stall-once" (so for the first
   * request only); "ranges" serves {@code Range} requests (206), "wrong-range" and "short-range"
   * too but flip a byte in, or cut short, the range that holds the middle byte of the blob (unless
   * it is the first, which the client asks for alone before the others). Without these three a
   * {@code Range} header is ignored (200, the whole blob).
   */
  final Map<String, String> behaviour = new ConcurrentHashMap<>();

  final AtomicInteger blobRequests = new AtomicInteger();
  final AtomicInteger busyAnswers = new AtomicInteger();
  final AtomicInteger rangeAnswers = new AtomicInteger();
  final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
  final java.util.Set<String> userAgents = ConcurrentHashMap.newKeySet();

  byte[] config =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
          .getBytes(StandardCharsets.UTF_8);
  byte[] layer = new byte[200_000];

  @BeforeEach
  void start() throws Exception {
    new java.util.Random(42).nextBytes(layer);
    // HTTPS (self-signed; pulled with TLS verification off): a plain HTTP test server would
    // leave the client's HTTPS attempt waiting for a handshake answer.
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(TestRegistry.serverTls(tmp, "server")));
    server = https;
    server.createContext("/v2/", this::handle);
    server.createContext("/v2/up/", this::handleUpload);
    server.createContext("/v2/tok/", this::handleTokenRepository);
    server.createContext("/token", this::handleStalledToken);
    // a handler of its own per exchange: a stalled answer must not hold up the next request
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    stopped.countDown();
    server.stop(0);
  }

  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Serves a manifest of {@link #config} and {@link #layer} under {@code repo:tag}. */
  Digest serve(String repo, String layerBehaviour) {
    Descriptor c = Descriptor.of(MediaTypes.IMAGE_CONFIG, Digest.sha256(config), config.length);
    Descriptor l = Descriptor.of(MediaTypes.LAYER_TAR, Digest.sha256(layer), layer.length);
    blobs.put(c.digest().toString(), config);
    blobs.put(l.digest().toString(), layer);
    if (layerBehaviour != null) {
      behaviour.put(repo + "@" + l.digest(), layerBehaviour);
    }
    byte[] m = Json.toBytes(Manifest.of(c, List.of(l)));
    manifests.put(repo + ":v1", m);
    manifests.put(repo + ":" + Digest.sha256(m), m);
    return Digest.sha256(m);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      userAgents.add(String.valueOf(ex.getRequestHeaders().getFirst("User-Agent")));
      String path = ex.getRequestURI().getPath();
      if (path.equals("/v2/")) {
        send(ex, 200, new byte[0], null);
        return;
      }
      int mi = path.indexOf("/manifests/");
      if (mi > 0) {
        String key = path.substring(4, mi) + ":" + path.substring(mi + 11);
        byte[] m = manifests.get(key);
        if (m == null) {
          send(ex, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes(), null);
        } else {
          send(ex, 200, m, Json.mapper().readTree(m).path("mediaType").asText());
        }
        return;
      }
      int bi = path.indexOf("/blobs/");
      String repo = path.substring(4, bi);
      String digest = path.substring(bi + 7);
      byte[] content = blobs.get(digest);
      blobRequests.incrementAndGet();
      String how = behaviour.getOrDefault(repo + "@" + digest, "");
      String range = ex.getRequestHeaders().getFirst("Range");
      if (range != null && how.endsWith("ranges") || how.endsWith("-range")) {
        if (range == null) {
          send(ex, 200, content, null);
          return;
        }
        String[] se = range.substring("bytes=".length()).split("-");
        int start = Integer.parseInt(se[0]);
        int end = Integer.parseInt(se[1]);
        byte[] part = java.util.Arrays.copyOfRange(content, start, end + 1);
        boolean lie = start <= content.length / 2 && content.length / 2 <= end && start > 0;
        if (lie && how.equals("wrong-range")) {
          part[part.length / 2] ^= 1;
        }
        if (lie && how.equals("short-range")) {
          part = java.util.Arrays.copyOf(part, part.length - 1);
        }
        rangeAnswers.incrementAndGet();
        ex.getResponseHeaders()
            .set("Content-Range", "bytes " + start + "-" + end + "/" + content.length);
        send(ex, 206, part, null);
        return;
      }
      switch (how) {
        case "wrong" -> {
          byte[] wrong = content.clone();
          wrong[wrong.length / 2] ^= 1;
          send(ex, 200, wrong, null);
        }
        case "short" -> send(ex, 200, java.util.Arrays.copyOf(content, content.length / 2), null);
        case "drop" -> {
          ex.sendResponseHeaders(200, content.length);
          ex.getResponseBody().write(content, 0, content.length / 2);
          ex.getResponseBody().flush();
          throw new IOException("dropping the connection on purpose");
        }
        case "stall", "stall-once" -> {
          if (how.equals("stall-once") && blobRequests.get() > 2) {
            send(ex, 200, content, null);
            return;
          }
          ex.sendResponseHeaders(200, content.length);
          ex.getResponseBody().write(content, 0, content.length / 2);
          ex.getResponseBody().flush();
          try {
            stopped.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        case "busy" -> {
          int n = busyAnswers.incrementAndGet();
          if (n == 1) {
            send(ex, 503, new byte[0], null);
          } else if (n == 2) {
            ex.getResponseHeaders().set("Retry-After", "0");
            send(ex, 429, new byte[0], null);
          } else {
            send(ex, 200, content, null);
          }
        }
        default -> send(ex, 200, content, null);
      }
    }
  }

  /**
   * Repositories {@code up/...}: knows no blob or manifest, starts uploads, takes a blob of up to 1
   * MiB whole (201), and of a larger one reads 1 MiB and then nothing until the test ends.
   */
  private void handleUpload(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (ex.getRequestMethod().equals("POST") && path.endsWith("/blobs/uploads/")) {
        ex.getResponseHeaders().set("Location", path + "u" + blobRequests.incrementAndGet());
        send(ex, 202, new byte[0], null);
        return;
      }
      if (!ex.getRequestMethod().equals("PUT")) {
        send(ex, 404, new byte[0], null);
        return;
      }
      long length = Long.parseLong(ex.getRequestHeaders().getFirst("Content-Length"));
      java.io.InputStream in = ex.getRequestBody();
      byte[] b = new byte[64 << 10];
      long n = 0;
      for (int r; n < (1 << 20) && (r = in.read(b)) > 0; ) {
        n += r;
      }
      if (n < length) {
        try {
          stopped.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      send(ex, 201, new byte[0], null);
    }
  }

  /** Repositories {@code tok/...}: ask for a Bearer token from {@code /token} of this server. */
  private void handleTokenRepository(HttpExchange ex) throws IOException {
    try (ex) {
      ex.getResponseHeaders()
          .set(
              "WWW-Authenticate",
              "Bearer realm=\"https://" + host() + "/token\",service=\"lying\"");
      send(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(), null);
    }
  }

  /** A token endpoint that sends half an answer and then nothing until the test ends. */
  private void handleStalledToken(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] answer = "{\"token\":\"abc\",\"expires_in\":300}".getBytes();
      ex.sendResponseHeaders(200, answer.length);
      ex.getResponseBody().write(answer, 0, answer.length / 2);
      ex.getResponseBody().flush();
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body, String type)
      throws IOException {
    if (type != null) {
      ex.getResponseHeaders().set("Content-Type", type);
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  private Copy.Result pull(String repo, Path layout) throws Exception {
    return pull(repo, layout, 16L << 20);
  }

  /** A pull that splits blobs into parts of at least {@code rangePart} bytes. */
  private Copy.Result pull(String repo, Path layout, long rangePart) throws Exception {
    return Copy.run(
        Copy.Options.builder("docker://" + host() + "/" + repo + ":v1", "oci:" + layout + ":pulled")
            .platform(PlatformChoice.whole())
            .registry(
                RegistryOptions.builder()
                    .tlsVerify(false)
                    .environment(Map.of())
                    .attempts(3)
                    .backoff(Duration.ofMillis(10))
                    .rangePart(rangePart)
                    .build())
            .build());
  }

  @Test
  void blobIsFetchedInParallelRangesAndVerifiedWhole() throws Exception {
    Digest manifest = serve("range/ok", "ranges");
    Path dst = tmp.resolve("ranges");
    Copy.Result r = pull("range/ok", dst, 40_000);
    assertEquals(manifest, r.descriptor().digest());
    assertEquals(4, rangeAnswers.get(), "200,000 bytes in 4 parts");
    try (dev.umoci.oci.layout.OciLayout l = dev.umoci.oci.layout.OciLayout.open(dst)) {
      assertTrue(
          java.util.Arrays.equals(
              layer,
              l.readBlob(Descriptor.of(MediaTypes.LAYER_TAR, Digest.sha256(layer), layer.length))));
    }
    LayoutChecks.assertNoTempDirs(dst);
  }

  @Test
  void everyRequestNamesUmociAsItsClient() throws Exception {
    Digest manifest = serve("agent/default", "ranges");
    pull("agent/default", tmp.resolve("default"), 40_000);
    assertTrue(RegistryOptions.DEFAULT_USER_AGENT.matches("umoci-java/[0-9][^ ]*"));
    assertEquals(java.util.Set.of(RegistryOptions.DEFAULT_USER_AGENT), userAgents);

    userAgents.clear();
    Copy.run(
        Copy.Options.builder(
                "docker://" + host() + "/agent/default@" + manifest,
                "oci:" + tmp.resolve("named") + ":pulled")
            .registry(TestRegistry.insecure().userAgent("umoci-maven-plugin/9.9").build())
            .build());
    assertEquals(java.util.Set.of("umoci-maven-plugin/9.9"), userAgents);
    assertThrows(
        IllegalArgumentException.class,
        () -> TestRegistry.insecure().userAgent("two\r\nlines").build());
  }

  @Test
  void registryThatIgnoresRangeIsReadWhole() throws Exception {
    Digest manifest = serve("range/ignored", null);
    Path dst = tmp.resolve("ignored");
    Copy.Result r = pull("range/ignored", dst, 40_000);
    assertEquals(manifest, r.descriptor().digest());
    assertEquals(0, rangeAnswers.get());
    assertEquals(2, blobRequests.get(), "the config and one request for the layer");
    LayoutChecks.assertTag(dst, "pulled", manifest);
  }

  @Test
  void wrongBytesInOneRangeLeaveNothing() throws Exception {
    serve("range/wrong", "wrong-range");
    Path dst = existingLayout();
    Map<String, String> before = LayoutChecks.snapshot(dst);
    DigestMismatchException e =
        assertThrows(DigestMismatchException.class, () -> pull("range/wrong", dst, 40_000));
    assertEquals(
        "registry "
            + host()
            + ": repository range/wrong: corrupt blob "
            + Digest.sha256(layer)
            + " (200000 bytes): received 200000 bytes with digest "
            + Digest.sha256(wrongRange()),
        e.getMessage());
    assertEquals(before, LayoutChecks.snapshot(dst));
  }

  /** {@link #layer} with the byte flipped that "wrong-range" flips. */
  private byte[] wrongRange() {
    long[] lied = liedRange();
    byte[] wrong = layer.clone();
    wrong[(int) (lied[0] + (lied[1] - lied[0]) / 2)] ^= 1;
    return wrong;
  }

  /**
   * The start (inclusive) and end (exclusive) of the part of {@link #layer}'s 200,000 bytes that
   * "wrong-range" and "short-range" lie about when it is pulled in 4 parts ({@code rangePart}
   * 40,000): the one that holds the middle byte.
   */
  private static long[] liedRange() {
    long[] starts = BlobFetch.starts(200_000, 4);
    for (int i = 1; i < 4; i++) {
      if (starts[i] <= 100_000 && 100_000 < starts[i + 1]) {
        return new long[] {starts[i], starts[i + 1]};
      }
    }
    throw new AssertionError("no part holds the middle byte");
  }

  @Test
  void truncatedRangeLeavesNothing() throws Exception {
    serve("range/short", "short-range");
    Path dst = existingLayout();
    Map<String, String> before = LayoutChecks.snapshot(dst);
    DigestMismatchException e =
        assertThrows(DigestMismatchException.class, () -> pull("range/short", dst, 40_000));
    assertEquals(
        "registry "
            + host()
            + ": repository range/short: truncated blob "
            + Digest.sha256(layer)
            + ": bytes "
            + liedRange()[0]
            + "-"
            + (liedRange()[1] - 1)
            + " ended after "
            + (liedRange()[1] - liedRange()[0] - 1)
            + " bytes",
        e.getMessage());
    assertEquals(before, LayoutChecks.snapshot(dst));
  }

  /** A layout with one image of its own, to prove a failed pull changes nothing in it. */
  private Path existingLayout() throws Exception {
    Path dst = tmp.resolve("dst");
    TestImages.image(dst, "mine", "amd64", "lying", 128);
    return dst;
  }

  @Test
  void blobWithWrongBytesIsRefusedAndNothingIsLeftBehind() throws Exception {
    serve("lie/wrong", "wrong");
    Path dst = existingLayout();
    Map<String, String> before = LayoutChecks.snapshot(dst);
    DigestMismatchException e =
        assertThrows(DigestMismatchException.class, () -> pull("lie/wrong", dst));
    assertEquals(
        "registry "
            + host()
            + ": repository lie/wrong: corrupt blob "
            + Digest.sha256(layer)
            + " (200000 bytes): received 200000 bytes with digest "
            + Digest.sha256(wrongLayer()),
        e.getMessage());
    assertEquals(before, LayoutChecks.snapshot(dst), "the config fetched before was removed again");
  }

  private byte[] wrongLayer() {
    byte[] wrong = layer.clone();
    wrong[wrong.length / 2] ^= 1;
    return wrong;
  }

  @Test
  void truncatedBlobIsRefused() throws Exception {
    serve("lie/short", "short");
    Path dst = existingLayout();
    Map<String, String> before = LayoutChecks.snapshot(dst);
    DigestMismatchException e =
        assertThrows(DigestMismatchException.class, () -> pull("lie/short", dst));
    assertTrue(
        e.getMessage().startsWith("registry " + host() + ": repository lie/short: truncated blob "),
        e.getMessage());
    assertTrue(e.getMessage().contains("received 100000 bytes"), e.getMessage());
    assertEquals(before, LayoutChecks.snapshot(dst));
  }

  @Test
  void droppedConnectionIsRetriedThenReported() throws Exception {
    serve("lie/drop", "drop");
    Path dst = existingLayout();
    Map<String, String> before = LayoutChecks.snapshot(dst);
    RegistryUnreachableException e =
        assertThrows(RegistryUnreachableException.class, () -> pull("lie/drop", dst));
    assertTrue(
        e.getMessage()
            .startsWith(
                "registry "
                    + host()
                    + ": repository lie/drop: get blob "
                    + Digest.sha256(layer)
                    + ": connection dropped"),
        e.getMessage());
    assertEquals(before, LayoutChecks.snapshot(dst));
  }

  /** A pull that gives up on a body after {@code idle} without data. */
  private Copy.Result pullWithIdleTimeout(String repo, Path layout, Duration idle)
      throws Exception {
    return Copy.run(
        Copy.Options.builder("docker://" + host() + "/" + repo + ":v1", "oci:" + layout + ":pulled")
            .registry(TestRegistry.insecure().attempts(2).idleTimeout(idle).build())
            .build());
  }

  @Test
  @org.junit.jupiter.api.Timeout(
      value = 60,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aBodyThatStallsIsGivenUpAndRetried() throws Exception {
    Digest manifest = serve("lie/stall-once", "stall-once");
    Path dst = tmp.resolve("stall-once");
    Copy.Result r = pullWithIdleTimeout("lie/stall-once", dst, Duration.ofMillis(500));
    assertEquals(manifest, r.descriptor().digest());
    assertEquals(3, blobRequests.get(), "the config, the stalled layer and its retry");
    LayoutChecks.assertNoTempDirs(dst);
  }

  @Test
  @org.junit.jupiter.api.Timeout(
      value = 60,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aBodyThatStallsEveryTimeFailsNamingTheBlobAndLeavesNothing() throws Exception {
    serve("lie/stall", "stall");
    Path dst = existingLayout();
    Map<String, String> before = LayoutChecks.snapshot(dst);
    RegistryUnreachableException e =
        assertThrows(
            RegistryUnreachableException.class,
            () -> pullWithIdleTimeout("lie/stall", dst, Duration.ofMillis(300)));
    assertEquals(
        "registry "
            + host()
            + ": repository lie/stall: get blob "
            + Digest.sha256(layer)
            + ": stalled: no data received for 0.3 s, after 100000 of 200000 bytes (2 attempts)",
        e.getMessage());
    assertEquals(before, LayoutChecks.snapshot(dst));
  }

  @Test
  @org.junit.jupiter.api.Timeout(
      value = 60,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void anUploadTheRegistryStopsTakingFailsNamingTheBlob() throws Exception {
    Path src = tmp.resolve("src");
    TestImages.image(src, "v1", "amd64", "stalled-upload", 24 << 20);
    RegistryUnreachableException e =
        assertThrows(
            RegistryUnreachableException.class,
            () ->
                Copy.run(
                    Copy.Options.builder(
                            "oci:" + src + ":v1", "docker://" + host() + "/up/stall:v1")
                        .registry(
                            TestRegistry.insecure()
                                .attempts(2)
                                .idleTimeout(Duration.ofMillis(300))
                                .build())
                        .build()));
    assertTrue(
        e.getMessage()
            .startsWith("registry " + host() + ": repository up/stall: upload blob sha256:"),
        e.getMessage());
    assertTrue(
        e.getMessage().endsWith(": stalled: the registry took no data for 0.3 s"), e.getMessage());
  }

  @Test
  @org.junit.jupiter.api.Timeout(
      value = 60,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aTokenAnswerThatStallsFailsNamingTheTokenEndpoint() throws Exception {
    RegistryUnreachableException e =
        assertThrows(
            RegistryUnreachableException.class,
            () -> pullWithIdleTimeout("tok/app", tmp.resolve("tok"), Duration.ofMillis(300)));
    assertEquals(
        "registry "
            + host()
            + ": repository tok/app: token endpoint https://"
            + host()
            + " unreachable: stalled: no data received for 0.3 s",
        e.getMessage());
    assertFalse(java.nio.file.Files.exists(tmp.resolve("tok")));
  }

  @Test
  void busyAnswersAreRetriedWithBackoff() throws Exception {
    Digest manifest = serve("lie/busy", "busy");
    Path dst = tmp.resolve("fresh");
    Copy.Result r = pull("lie/busy", dst);
    assertEquals(manifest, r.descriptor().digest());
    assertEquals(3, busyAnswers.get(), "503, 429, then the blob");
    LayoutChecks.assertTag(dst, "pulled", manifest);
    LayoutChecks.assertNoTempDirs(dst);
  }

  /**
   * {@code --retry-times N}: N retries after the first try. With 0 the first 503 fails the copy;
   * with 2 the copy gets past the 503 and the 429; a bad count is a usage error.
   */
  @Test
  void retryTimesSetsTheRetriesOfTheCli() throws Exception {
    serve("lie/retries", "busy");
    Path dst = tmp.resolve("retries");
    String src = "docker://" + host() + "/lie/retries:v1";
    CliRunner.Result none =
        CliRunner.run(
            "copy", "--src-tls-verify=false", "--retry-times", "0", src, "oci:" + dst + ":v1");
    assertEquals(1, none.exitCode(), none.stderr());
    assertTrue(none.stderr().contains("503"), none.stderr());
    assertEquals(1, busyAnswers.get(), "no retry");
    busyAnswers.set(0);
    CliRunner.run("copy", "--src-tls-verify=false", "--retry-times=2", src, "oci:" + dst + ":v1")
        .assertSuccess();
    assertEquals(3, busyAnswers.get(), "503, 429, then the blob");

    CliRunner.Result bad = CliRunner.run("copy", "--retry-times", "-1", src, "oci:" + dst + ":bad");
    assertEquals(1, bad.exitCode());
    assertEquals("umoci: --retry-times -1: not a number of retries (0 to 100)\n", bad.stderr());
  }

  /** Serves a Docker schema 2 manifest of {@link #config} and a layer of type {@code layerType}. */
  private byte[] serveDocker(String repo, String layerType) {
    Descriptor c =
        Descriptor.of(
            "application/vnd.docker.container.image.v1+json", Digest.sha256(config), config.length);
    Descriptor l = Descriptor.of(layerType, Digest.sha256(layer), layer.length);
    blobs.put(c.digest().toString(), config);
    blobs.put(l.digest().toString(), layer);
    byte[] m =
        Json.toBytes(
            new Manifest(2, MediaTypes.DOCKER_MANIFEST_V2, null, c, List.of(l), null, null));
    manifests.put(repo + ":v1", m);
    return m;
  }

  @Test
  void dockerSchema2ManifestIsStoredConvertedAndItsBlobsKeptByGc() throws Exception {
    byte[] m = serveDocker("docker/app", "application/vnd.docker.image.rootfs.diff.tar.gzip");
    Path dst = tmp.resolve("docker");
    Copy.Result r = pull("docker/app", dst);
    assertEquals(MediaTypes.IMAGE_MANIFEST, r.descriptor().mediaType());
    dev.umoci.testing.CliRunner.run("gc", "--layout", dst.toString()).assertSuccess();
    try (dev.umoci.oci.layout.OciLayout layout = dev.umoci.oci.layout.OciLayout.open(dst)) {
      Manifest stored = dev.umoci.oci.casext.ImageBlobs.manifest(layout, r.descriptor());
      assertEquals(Digest.sha256(config), stored.config().digest());
      assertEquals(MediaTypes.IMAGE_CONFIG, stored.config().mediaType());
      assertEquals(MediaTypes.LAYER_TAR_GZIP, stored.layers().get(0).mediaType());
      assertTrue(layout.hasBlob(Digest.sha256(layer)), "gc keeps the layer");
      assertTrue(layout.hasBlob(Digest.sha256(config)), "gc keeps the config");
      assertFalse(layout.hasBlob(Digest.sha256(m)), "the Docker manifest is not stored");
    }
    dev.umoci.testing.LayoutChecks.assertValid(dst);
  }

  @Test
  void dockerManifestIsVerifiedAgainstItsPinnedDigestBeforeConversion() throws Exception {
    byte[] m = serveDocker("docker/lie", "application/vnd.docker.image.rootfs.diff.tar.gzip");
    Digest pinned = Digest.sha256(m);
    // Another valid Docker manifest (an uncompressed layer) served for the pinned digest.
    byte[] other =
        new String(m, StandardCharsets.UTF_8)
            .replace("rootfs.diff.tar.gzip", "rootfs.diff.tar")
            .getBytes(StandardCharsets.UTF_8);
    manifests.put("docker/lie:" + pinned, other);
    Path dst = tmp.resolve("lie");
    DigestMismatchException e =
        assertThrows(
            DigestMismatchException.class,
            () ->
                Copy.run(
                    Copy.Options.builder(
                            "docker://" + host() + "/docker/lie@" + pinned, "oci:" + dst + ":t")
                        .registry(
                            RegistryOptions.builder()
                                .tlsVerify(false)
                                .environment(Map.of())
                                .build())
                        .build()));
    assertTrue(e.getMessage().contains(pinned.toString()), e.getMessage());
    assertFalse(java.nio.file.Files.exists(dst));
    assertEquals(0, blobRequests.get());
  }

  @Test
  void dockerLayerOfAnUnknownTypeIsRefusedBeforeAnyBlobMoves() throws Exception {
    byte[] m = serveDocker("docker/odd", "application/vnd.example.layer.v1.tar+lz4");
    Path dst = tmp.resolve("odd");
    dev.umoci.errors.UnconvertibleImageException e =
        assertThrows(
            dev.umoci.errors.UnconvertibleImageException.class, () -> pull("docker/odd", dst));
    assertEquals(
        "registry "
            + host()
            + ": repository docker/odd: manifest "
            + Digest.sha256(m)
            + ": cannot convert to OCI: layer "
            + Digest.sha256(layer)
            + " has media type application/vnd.example.layer.v1.tar+lz4, which has no OCI"
            + " equivalent",
        e.getMessage());
    assertFalse(java.nio.file.Files.exists(dst));
    assertEquals(0, blobRequests.get());
  }

  @Test
  void indexEntryServedAsAnotherMediaTypeIsRefused() throws Exception {
    Descriptor c = Descriptor.of(MediaTypes.IMAGE_CONFIG, Digest.sha256(config), config.length);
    blobs.put(c.digest().toString(), config);
    byte[] m =
        Json.toBytes(
            new Manifest(2, MediaTypes.DOCKER_MANIFEST_V2, null, c, List.of(), null, null));
    Digest md = Digest.sha256(m);
    manifests.put("conf/app:" + md, m);
    byte[] index =
        Json.toBytes(
            new dev.umoci.oci.spec.Index(
                2,
                MediaTypes.IMAGE_INDEX,
                null,
                List.of(Descriptor.of(MediaTypes.IMAGE_MANIFEST, md, m.length)),
                null,
                null));
    manifests.put("conf/app:v1", index);
    Path dst = tmp.resolve("conf");
    UnsupportedMediaTypeException e =
        assertThrows(UnsupportedMediaTypeException.class, () -> pull("conf/app", dst));
    assertEquals(
        "registry "
            + host()
            + ": repository conf/app: manifest "
            + md
            + ": the index says "
            + MediaTypes.IMAGE_MANIFEST
            + ", the registry served "
            + MediaTypes.DOCKER_MANIFEST_V2,
        e.getMessage());
    assertFalse(java.nio.file.Files.exists(dst));
  }

  @Test
  void manifestOverTheJsonSizeLimitIsRefusedBeforeItIsStored() throws Exception {
    Descriptor c = Descriptor.of(MediaTypes.IMAGE_CONFIG, Digest.sha256(config), config.length);
    blobs.put(c.digest().toString(), config);
    long limit = InputLimits.defaults().maxJsonBytes();
    // A valid manifest, one byte over the limit through a padding annotation.
    Manifest small =
        new Manifest(2, MediaTypes.IMAGE_MANIFEST, null, c, List.of(), null, Map.of("pad", ""));
    int pad = (int) (limit + 1 - Json.toBytes(small).length);
    byte[] m =
        Json.toBytes(
            new Manifest(
                2,
                MediaTypes.IMAGE_MANIFEST,
                null,
                c,
                List.of(),
                null,
                Map.of("pad", "x".repeat(pad))));
    assertEquals(limit + 1, m.length);
    manifests.put("big/app:v1", m);
    Path dst = existingLayout();
    Map<String, String> before = LayoutChecks.snapshot(dst);
    LimitExceededException e =
        assertThrows(LimitExceededException.class, () -> pull("big/app", dst));
    assertEquals(
        "registry "
            + host()
            + ": repository big/app: manifest v1 is "
            + (limit + 1)
            + " bytes, larger than the JSON size limit (limit "
            + limit
            + "; raise it with -D"
            + InputLimits.JSON
            + "=...)",
        e.getMessage());
    assertEquals(before, LayoutChecks.snapshot(dst));
    assertEquals(0, blobRequests.get(), "no blob of the refused manifest was fetched");
  }

  @Test
  void failedPullIntoANewLayoutLeavesNoDirectory() throws Exception {
    serve("lie/new", "wrong");
    Path dst = tmp.resolve("never");
    assertThrows(DigestMismatchException.class, () -> pull("lie/new", dst));
    assertFalse(java.nio.file.Files.exists(dst));
  }
}
