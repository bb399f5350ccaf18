package dev.umoci.registry;

import static dev.umoci.testing.TestRegistry.insecure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.ops.Copy;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.Closing;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.StorageHost;
import dev.umoci.testing.StorageHost.Fault;
import dev.umoci.testing.TestRegistry;
import dev.umoci.testing.TokenServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries that answer blob {@code GET} and {@code HEAD} with a 307 redirect to a storage host
 * (Debian's docker-registry with the {@code redirect} storage middleware, a {@link StorageHost}
 * serving its storage): pulls follow the redirects, in {@code Range} parts too, and never take
 * credentials to the storage host; what the storage host gets wrong fails the pull and leaves
 * nothing; a push finds the blobs the repository has through the redirected {@code HEAD}.
 */
class BlobRedirectTest {
  static final String USER = "tester";
  static final String PASSWORD = "r3direct-pa55";

  /** The big layer's file: large enough to be pulled in several parts of {@link #SMALL_PART}. */
  static final int BIG = 900_000;

  static final long SMALL_PART = 100_000;

  @TempDir static Path shared;
  static StorageHost storage;
  static TestRegistry basic;
  static StorageHost plainStorage;
  static TokenServer tokens;
  static TestRegistry bearer;
  static String arch;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    arch = Copy.hostPlatform().architecture();
    Path dir = shared.resolve("basic");
    storage = StorageHost.tls(TestRegistry.storageRoot(dir), shared.resolve("storage-certs"));
    basic = TestRegistry.tlsWithBasicAuth(dir, USER, PASSWORD, storage.uri());
    Path bearerDir = shared.resolve("bearer");
    plainStorage = StorageHost.plain(TestRegistry.storageRoot(bearerDir));
    tokens = TokenServer.start(shared.resolve("tokens"), USER, PASSWORD);
    bearer = TestRegistry.withTokens(bearerDir, tokens, plainStorage.uri());
  }

  @AfterAll
  static void stop() {
    Closing.all(bearer, tokens, plainStorage, basic, storage);
  }

  @BeforeEach
  void forget() {
    storage.reset();
    plainStorage.reset();
  }

  static RegistryOptions.Builder withCredentials() {
    return insecure().credentials(new Credentials(USER, PASSWORD, "--creds"));
  }

  private static Copy.Result copy(String src, String dst, RegistryOptions options)
      throws Exception {
    return Copy.run(Copy.Options.builder(src, dst).registry(options).build());
  }

  private static Manifest manifest(Path layout, String tag) throws Exception {
    try (OciLayout l = OciLayout.open(layout)) {
      return ImageBlobs.manifest(l, References.resolve(l, tag));
    }
  }

  private static Digest tagged(Path layout, String tag) throws Exception {
    try (OciLayout l = OciLayout.open(layout)) {
      return References.resolve(l, tag).digest();
    }
  }

  /** The config and layers of {@code m}. */
  private static List<Descriptor> blobsOf(Manifest m) {
    List<Descriptor> out = new ArrayList<>(m.layers());
    out.add(m.config());
    return out;
  }

  /** The largest layer of {@code m}: the one with {@link #BIG} random bytes. */
  private static Descriptor bigLayer(Manifest m) {
    return m.layers().stream().max(Comparator.comparingLong(Descriptor::size)).orElseThrow();
  }

  /** The blob's file below a registry's storage root, as the redirect names it. */
  private static String storagePath(Digest d) {
    String hex = d.hex();
    return "/docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data";
  }

  /** The requests {@code host} got for the blob {@code d}. */
  private static List<StorageHost.Request> requestsFor(StorageHost host, Digest d) {
    return host.requests().stream().filter(r -> r.path().equals(storagePath(d))).toList();
  }

  /** No request to {@code host} carried credentials; it got some. */
  private static void assertNoCredentials(StorageHost host) {
    assertFalse(host.requests().isEmpty(), "the storage host got requests");
    for (StorageHost.Request r : host.requests()) {
      assertFalse(r.credentials(), "credentials sent to the storage host: " + r);
    }
  }

  /** Every blob of {@code dst} is in {@code src} with the same bytes; dst has exactly 4. */
  private static void assertSameBlobs(Path src, Path dst) {
    Map<String, String> from = LayoutChecks.snapshot(src.resolve("blobs"));
    Map<String, String> to = LayoutChecks.snapshot(dst.resolve("blobs"));
    assertEquals(2 + 4, to.size(), "manifest, config, two layers: " + to.keySet());
    for (var e : to.entrySet()) {
      assertEquals(e.getValue(), from.get(e.getKey()), e.getKey());
    }
  }

  /** Pushes a fresh image (seeded by {@code seed}) to the Basic registry as {@code repo:v1}. */
  private Manifest pushed(String seed, String repo, Path src) throws Exception {
    Digest d = TestImages.image(src, "v1", arch, seed, BIG);
    String remote = "docker://" + basic.host() + "/" + repo + ":v1";
    assertEquals(
        d, copy("oci:" + src + ":v1", remote, withCredentials().build()).descriptor().digest());
    storage.reset(); // the push's own HEADs found nothing: the registry answered them itself
    return manifest(src, "v1");
  }

  @Test
  void pullFollowsRedirectsToTheStorageHostWithoutCredentialsWholeAndInRanges() throws Exception {
    Path src = tmp.resolve("src");
    Manifest m = pushed("redirect-pull", "redirect/pull", src);
    Digest digest = tagged(src, "v1");
    String remote = "docker://" + basic.host() + "/redirect/pull:v1";

    // One GET per blob.
    Path whole = tmp.resolve("whole");
    Copy.Result r =
        copy(remote, "oci:" + whole + ":pulled", withCredentials().rangePart(0).build());
    assertEquals(digest, r.descriptor().digest());
    LayoutChecks.assertTag(whole, "pulled", digest);
    LayoutChecks.assertNoTempDirs(whole);
    assertSameBlobs(src, whole);
    for (Descriptor d : blobsOf(m)) {
      List<StorageHost.Request> got = requestsFor(storage, d.digest());
      assertEquals(1, got.size(), d.digest() + " fetched once from the storage host: " + got);
      assertEquals("GET", got.get(0).method());
      assertEquals(200, got.get(0).status());
    }
    assertNoCredentials(storage);

    // The big layer in Range parts, each answered 206 by the storage host.
    storage.reset();
    Path parts = tmp.resolve("parts");
    r = copy(remote, "oci:" + parts + ":pulled", withCredentials().rangePart(SMALL_PART).build());
    assertEquals(digest, r.descriptor().digest());
    LayoutChecks.assertTag(parts, "pulled", digest);
    LayoutChecks.assertNoTempDirs(parts);
    assertSameBlobs(src, parts);
    List<StorageHost.Request> big = requestsFor(storage, bigLayer(m).digest());
    assertTrue(big.size() >= 3, "the big layer in parts: " + big);
    for (StorageHost.Request p : big) {
      assertEquals("GET", p.method());
      assertTrue(p.range() != null && p.range().startsWith("bytes="), p.toString());
      assertEquals(206, p.status(), p.toString());
    }
    for (Descriptor d : blobsOf(m)) {
      assertFalse(requestsFor(storage, d.digest()).isEmpty(), d.digest() + " from storage");
    }
    assertNoCredentials(storage);
  }

  /**
   * A flipped byte and a body cut short, in a whole GET and in Range parts: a digest mismatch that
   * names the blob; the layout the pull went into is as it was (its own image, index.json, no blob
   * of the pulled image, no temporary files).
   */
  @Test
  void whatTheStorageHostGetsWrongFailsThePullAndLeavesNothing() throws Exception {
    Manifest m = pushed("redirect-faults", "redirect/faults", tmp.resolve("src"));
    Digest big = bigLayer(m).digest();
    String remote = "docker://" + basic.host() + "/redirect/faults:v1";
    Path dst = tmp.resolve("dst");
    TestImages.image(dst, "mine", arch, "redirect-mine", 128);
    Map<String, String> before = LayoutChecks.snapshot(dst);
    for (Fault fault : List.of(Fault.FLIP_BYTE, Fault.CUT_SHORT)) {
      for (long rangePart : new long[] {0, SMALL_PART}) {
        String what = fault + ", rangePart " + rangePart;
        storage.reset();
        storage.fault(big.hex(), fault);
        RegistryOptions o = withCredentials().rangePart(rangePart).attempts(2).build();
        DigestMismatchException e =
            assertThrows(
                DigestMismatchException.class,
                () -> copy(remote, "oci:" + dst + ":pulled", o),
                what);
        String prefix = "registry " + basic.host() + ": repository redirect/faults: ";
        assertTrue(e.getMessage().startsWith(prefix), what + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("blob " + big), what + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), what + ": one line");
        assertFalse(requestsFor(storage, big).isEmpty(), what + ": served by the storage host");
        assertNoCredentials(storage);
        assertEquals(before, LayoutChecks.snapshot(dst), what + ": the layout is as it was");
        LayoutChecks.assertNoTempDirs(dst);
      }
    }
  }

  @Test
  void aStorageHostThatIgnoresRangeServesTheWholeBlob() throws Exception {
    Path src = tmp.resolve("src");
    Manifest m = pushed("redirect-norange", "redirect/norange", src);
    Digest digest = tagged(src, "v1");
    storage.fault("", Fault.IGNORE_RANGE);
    Path dst = tmp.resolve("dst");
    Copy.Result r =
        copy(
            "docker://" + basic.host() + "/redirect/norange:v1",
            "oci:" + dst + ":pulled",
            withCredentials().rangePart(SMALL_PART).build());
    assertEquals(digest, r.descriptor().digest());
    LayoutChecks.assertTag(dst, "pulled", digest);
    LayoutChecks.assertNoTempDirs(dst);
    assertSameBlobs(src, dst);
    List<StorageHost.Request> big = requestsFor(storage, bigLayer(m).digest());
    assertEquals(1, big.size(), "one request for the first part, answered whole: " + big);
    assertTrue(big.get(0).range() != null, "a Range was asked for");
    assertEquals(200, big.get(0).status());
    assertNoCredentials(storage);
  }

  @Test
  void pushFindsTheBlobsTheRepositoryHasThroughTheRedirectedHead() throws Exception {
    Path src = tmp.resolve("src");
    Manifest a = pushed("redirect-push", "redirect/push", src);
    Path files = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(files.resolve("Main.class"), "classes of the app");
    CliRunner.run("tag", "--image", src + ":v1", "v2").assertSuccess();
    CliRunner.run("insert", "--image", src + ":v2", files.toString(), "/app").assertSuccess();
    Manifest b = manifest(src, "v2");
    Descriptor newLayer = b.layers().get(b.layers().size() - 1);

    RegistryMountTest.Recording seen = new RegistryMountTest.Recording();
    Copy.Result r =
        Copy.run(
            Copy.Options.builder(
                    "oci:" + src + ":v2", "docker://" + basic.host() + "/redirect/push:v2")
                .registry(withCredentials().build())
                .listener(seen)
                .build());

    Set<Digest> old = a.layers().stream().map(Descriptor::digest).collect(Collectors.toSet());
    assertEquals(old, seen.skipped, "A's layers found");
    assertEquals(Set.of(newLayer.digest(), b.config().digest()), seen.uploaded);
    assertEquals(2, r.blobsCopied());
    for (Digest d : old) {
      List<StorageHost.Request> got = requestsFor(storage, d);
      assertEquals(1, got.size(), d + ": " + got);
      assertEquals("HEAD", got.get(0).method());
      assertEquals(200, got.get(0).status());
    }
    Set<String> asked = new HashSet<>();
    storage.requests().forEach(q -> asked.add(q.path()));
    assertEquals(
        old.stream().map(BlobRedirectTest::storagePath).collect(Collectors.toSet()),
        asked,
        "the storage host saw only the HEADs of A's layers");
    assertNoCredentials(storage);

    Path dst = tmp.resolve("dst");
    Digest top = tagged(src, "v2");
    copy(
        "docker://" + basic.host() + "/redirect/push:v2",
        "oci:" + dst + ":v2",
        withCredentials().build());
    LayoutChecks.assertTag(dst, "v2", top);
  }

  /** A registry on plain HTTP with Bearer tokens, redirecting to a storage host on plain HTTP. */
  @Test
  void bearerTokensDoNotReachThePlainStorageHost() throws Exception {
    Path src = tmp.resolve("src");
    Digest digest = TestImages.image(src, "v1", arch, "redirect-bearer", 4096);
    String remote = "docker://" + bearer.host() + "/redirect/bearer:v1";
    copy("oci:" + src + ":v1", remote, withCredentials().build());
    plainStorage.reset();
    Path dst = tmp.resolve("dst");
    assertEquals(
        digest,
        copy(remote, "oci:" + dst + ":pulled", withCredentials().build()).descriptor().digest());
    LayoutChecks.assertTag(dst, "pulled", digest);
    assertSameBlobs(src, dst);
    for (Descriptor d : blobsOf(manifest(src, "v1"))) {
      assertEquals(1, requestsFor(plainStorage, d.digest()).size(), d.digest().toString());
    }
    assertNoCredentials(plainStorage);
  }
}
