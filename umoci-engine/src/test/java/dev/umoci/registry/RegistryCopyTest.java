package dev.umoci.registry;

import static dev.umoci.testing.TestRegistry.insecure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.ops.Copy;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.RegistryExtension;
import dev.umoci.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Pull and push against a real registry (Debian's docker-registry) on plain HTTP. */
class RegistryCopyTest {
  @RegisterExtension static final RegistryExtension registry = RegistryExtension.plain();
  static String arch;

  @TempDir Path tmp;

  @BeforeAll
  static void hostArchitecture() {
    arch = Copy.hostPlatform().architecture();
  }

  private Copy.Result copy(String src, String dst, RegistryOptions options) throws Exception {
    return Copy.run(Copy.Options.builder(src, dst).registry(options).build());
  }

  /** Every blob of {@code dst} is in {@code src} with the same bytes, and dst has exactly 4. */
  static void assertSameBlobs(Path src, Path dst) {
    Map<String, String> from = LayoutChecks.snapshot(src.resolve("blobs"));
    Map<String, String> to = LayoutChecks.snapshot(dst.resolve("blobs"));
    assertEquals(2 + 4, to.size(), "manifest, config, two layers: " + to.keySet());
    for (var e : to.entrySet()) {
      assertEquals(e.getValue(), from.get(e.getKey()), e.getKey());
    }
  }

  @Test
  void pushedImagePullsBackWithTheSameDigestsAndPresentBlobsAreSkipped() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "push-pull", 4096);
    String remote = "docker://" + registry.host() + "/test/app:v1";

    Copy.Result pushed = copy("oci:" + src + ":v1", remote, insecure().build());
    assertEquals(manifest, pushed.descriptor().digest());
    assertEquals(3, pushed.blobsCopied(), "config and two layers uploaded");

    Copy.Result again = copy("oci:" + src + ":v1", remote, insecure().build());
    assertEquals(0, again.blobsCopied(), "nothing uploaded twice");
    assertEquals(3, again.blobsSkipped());

    // The registry has the manifest: only the new tag is stored.
    String other = "docker://" + registry.host() + "/test/app:v1-again";
    Copy.Result retag = copy("oci:" + src + ":v1", other, insecure().build());
    assertEquals(0, retag.blobsCopied());
    assertEquals(3, retag.blobsSkipped());
    Path retagged = tmp.resolve("retagged");
    assertEquals(
        manifest, copy(other, "oci:" + retagged + ":x", insecure().build()).descriptor().digest());

    Path dst = tmp.resolve("dst");
    Copy.Result pulled = copy(remote, "oci:" + dst + ":pulled", insecure().build());
    assertEquals(manifest, pulled.descriptor().digest());
    assertEquals(3, pulled.blobsCopied());
    LayoutChecks.assertTag(dst, "pulled", manifest);
    LayoutChecks.assertNoTempDirs(dst);
    assertSameBlobs(src, dst);

    Copy.Result repull = copy(remote, "oci:" + dst + ":again", insecure().build());
    assertEquals(0, repull.blobsCopied(), "blobs already present are not fetched");
    LayoutChecks.assertTag(dst, "again", manifest);
  }

  /**
   * {@code --digestfile}: after a push and a pull, the digest as skopeo writes it ({@code
   * sha256:<hex>}, no newline, mode 0644); a failed copy leaves an earlier file as it was; a file
   * in a missing directory is refused before anything is copied.
   */
  @Test
  void digestFileIsWrittenAfterASuccessfulCopyOnly() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "digestfile", 256);
    String remote = "docker://" + registry.host() + "/test/digestfile:v1";
    Path pushed = tmp.resolve("pushed.digest");
    CliRunner.Result push =
        CliRunner.run(
                "copy",
                "--dest-tls-verify=false",
                "--digestfile",
                pushed.toString(),
                "oci:" + src + ":v1",
                remote)
            .assertSuccess();
    assertEquals(manifest + "\n", push.stdout());
    assertEquals(manifest.toString(), Files.readString(pushed));
    assertEquals(
        "rw-r--r--",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(pushed)));

    Path dst = tmp.resolve("dst");
    Path pulled = tmp.resolve("pulled.digest");
    Files.writeString(pulled, "old");
    CliRunner.Result missing =
        CliRunner.run(
            "copy",
            "--src-tls-verify=false",
            "--digestfile",
            pulled.toString(),
            "docker://" + registry.host() + "/test/digestfile:nosuchtag",
            "oci:" + dst + ":v1");
    assertEquals(1, missing.exitCode(), missing.stderr());
    assertEquals("old", Files.readString(pulled));
    CliRunner.run(
            "copy",
            "--src-tls-verify=false",
            "--digestfile",
            pulled.toString(),
            remote,
            "oci:" + dst + ":v1")
        .assertSuccess();
    assertEquals(manifest.toString(), Files.readString(pulled));
    try (var files = Files.list(tmp)) {
      assertEquals(
          List.of(),
          files.filter(f -> f.getFileName().toString().startsWith(".")).toList(),
          "no temporary left");
    }

    Path nowhere = tmp.resolve("no-such-dir/d");
    CliRunner.Result refused =
        CliRunner.run(
            "copy",
            "--src-tls-verify=false",
            "--digestfile",
            nowhere.toString(),
            remote,
            "oci:" + tmp.resolve("other") + ":v1");
    assertEquals(1, refused.exitCode());
    assertEquals(
        "umoci: --digestfile " + nowhere + ": its directory does not exist\n", refused.stderr());
    assertFalse(Files.exists(tmp.resolve("other")));
  }

  /**
   * Boolean flags of copy take what Go's {@code strconv.ParseBool} takes ({@code
   * --dest-tls-verify=0}, {@code --all=T}); another value is a one-line usage error naming the flag
   * and the value.
   */
  @Test
  void booleanFlagsTakeGoBooleanValues() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "go-booleans", 256);
    String remote = "docker://" + registry.host() + "/test/go-booleans:v1";
    CliRunner.run("copy", "--dest-tls-verify=0", "--quiet=1", "oci:" + src + ":v1", remote)
        .assertSuccess();
    Path dst = tmp.resolve("dst");
    CliRunner.run(
            "copy",
            "--src-tls-verify=F",
            "--all=True",
            "--preserve-digests=t",
            "--src-no-creds=TRUE",
            "--dest-no-creds=false",
            remote,
            "oci:" + dst + ":v1")
        .assertSuccess();
    LayoutChecks.assertTag(dst, "v1", manifest);

    for (String flag : List.of("--src-tls-verify", "--all", "--quiet")) {
      CliRunner.Result bad = CliRunner.run("copy", flag + "=yes", remote, "oci:" + dst + ":x");
      assertEquals(1, bad.exitCode(), bad.stderr());
      assertEquals(
          "umoci: Invalid value for option '"
              + flag
              + "': \"yes\" is not a boolean (1, t, T, TRUE, true, True, 0, f, F, FALSE, false,"
              + " False)\n",
          bad.stderr());
    }
    LayoutChecks.assertTag(dst, "v1", manifest);
  }

  @Test
  void rebuildWithChangedApplicationPushesOnlyTheNewLayerConfigAndManifest() throws Exception {
    Path src = tmp.resolve("src");
    TestImages.image(src, "base", arch, "rebuild", 4096);
    Path app = tmp.resolve("app");
    Files.createDirectories(app);
    String remote = "docker://" + registry.host() + "/rebuild/app:latest";
    for (String version : List.of("v1", "v2")) {
      Files.writeString(app.resolve("Main.class"), "classes of " + version);
      CliRunner.run("tag", "--image", src + ":base", version).assertSuccess();
      CliRunner.run("insert", "--image", src + ":" + version, app.toString(), "/app")
          .assertSuccess();
    }
    copy("oci:" + src + ":v1", remote, insecure().build());

    java.util.Set<Digest> uploaded = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.Set<Digest> skipped = java.util.concurrent.ConcurrentHashMap.newKeySet();
    TransferListener counting =
        new TransferListener() {
          @Override
          public void blobDone(Digest digest, long size, boolean wasSkipped) {
            (wasSkipped ? skipped : uploaded).add(digest);
          }
        };
    Copy.Result r =
        Copy.run(
            Copy.Options.builder("oci:" + src + ":v2", remote)
                .registry(insecure().build())
                .listener(counting)
                .build());
    dev.umoci.oci.spec.Manifest v2;
    try (OciLayout l = OciLayout.open(src)) {
      var top = References.resolve(l, "v2");
      assertEquals(top.digest(), r.descriptor().digest(), "the new manifest was pushed");
      v2 =
          dev.umoci.oci.spec.Json.parse(
              l.readBlob(top), dev.umoci.oci.spec.Manifest.class, "manifest");
    }
    var appLayer = v2.layers().get(v2.layers().size() - 1);
    assertEquals(
        java.util.Set.of(appLayer.digest(), v2.config().digest()),
        uploaded,
        "only the application layer and the config are uploaded");
    assertEquals(v2.layers().size() - 1, skipped.size(), "every base layer is skipped");
    assertEquals(2, r.blobsCopied());
    assertEquals(appLayer.size() + v2.config().size(), r.bytesCopied());
  }

  @Test
  void largeBlobsAreUploadedInChunks() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "big", arch, "chunked", 600_000);
    RegistryOptions chunked = insecure().chunkThreshold(100_000).chunkSize(64 * 1024 + 7).build();
    String remote = "docker://" + registry.host() + "/test/chunked:big";
    Copy.Result pushed = copy("oci:" + src + ":big", remote, chunked);
    assertEquals(3, pushed.blobsCopied());

    Path dst = tmp.resolve("dst");
    Copy.Result pulled = copy(remote, "oci:" + dst + ":big", insecure().build());
    assertEquals(manifest, pulled.descriptor().digest());
    LayoutChecks.assertTag(dst, "big", manifest);
    assertSameBlobs(src, dst);
  }

  /** docker-registry serves Range requests: a pull in parallel parts gives the same blobs. */
  @Test
  void largeBlobsArePulledInParallelRanges() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "big", arch, "ranges", 900_000);
    String remote = "docker://" + registry.host() + "/test/ranges:big";
    copy("oci:" + src + ":big", remote, insecure().build());
    int before = BlobFetch.partThreadsStarted();
    Path dst = tmp.resolve("dst");
    Copy.Result pulled = copy(remote, "oci:" + dst + ":big", insecure().rangePart(100_000).build());
    assertEquals(manifest, pulled.descriptor().digest());
    assertTrue(
        BlobFetch.partThreadsStarted() - before >= 3,
        "parts fetched on threads of their own: " + (BlobFetch.partThreadsStarted() - before));
    LayoutChecks.assertTag(dst, "big", manifest);
    LayoutChecks.assertNoTempDirs(dst);
    assertSameBlobs(src, dst);
  }

  @Test
  void copyBetweenRepositoriesOfOneRegistryMountsTheBlobs() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "mount", 2048);
    copy(
        "oci:" + src + ":v1", "docker://" + registry.host() + "/mount/from:v1", insecure().build());

    Copy.Result copied =
        copy(
            "docker://" + registry.host() + "/mount/from:v1",
            "docker://" + registry.host() + "/mount/to:v2",
            insecure().build());
    assertEquals(manifest, copied.descriptor().digest());
    assertEquals(0, copied.blobsCopied(), "every blob mounted, none uploaded");
    assertEquals(3, copied.blobsSkipped());

    Path dst = tmp.resolve("dst");
    copy("docker://" + registry.host() + "/mount/to:v2", "oci:" + dst + ":x", insecure().build());
    LayoutChecks.assertTag(dst, "x", manifest);
  }

  @Test
  void platformIsChosenFromAnIndexOrTheWholeIndexIsKept() throws Exception {
    Path src = tmp.resolve("src");
    Digest amd = TestImages.image(src, "amd64", "amd64", "multi-a", 1024);
    Digest arm = TestImages.image(src, "arm64", "arm64", "multi-b", 1024);
    var index =
        TestImages.index(src, "multi", List.of("amd64", "arm64"), List.of("amd64", "arm64"));
    String remote = "docker://" + registry.host() + "/test/multi:1";
    Copy.Result pushed =
        Copy.run(
            Copy.Options.builder("oci:" + src + ":multi", remote)
                .platform(PlatformChoice.whole())
                .registry(insecure().build())
                .build());
    assertEquals(index.digest(), pushed.descriptor().digest());

    Path dst = tmp.resolve("dst");
    Copy.Result one =
        Copy.run(
            Copy.Options.builder(remote, "oci:" + dst + ":arm")
                .platform(PlatformChoice.parse("linux/arm64"))
                .registry(insecure().build())
                .build());
    assertEquals(arm, one.descriptor().digest());
    LayoutChecks.assertTag(dst, "arm", arm);
    try (OciLayout l = OciLayout.open(dst)) {
      assertFalse(l.hasBlob(amd), "only the chosen platform is pulled");
      assertFalse(l.hasBlob(index.digest()));
    }

    Copy.Result whole =
        Copy.run(
            Copy.Options.builder(remote, "oci:" + dst + ":all")
                .platform(PlatformChoice.whole())
                .registry(insecure().build())
                .build());
    assertEquals(index.digest(), whole.descriptor().digest());
    LayoutChecks.assertTag(dst, "all", index.digest());

    PlatformNotFoundException e =
        assertThrows(
            PlatformNotFoundException.class,
            () ->
                Copy.run(
                    Copy.Options.builder(remote, "oci:" + tmp.resolve("none") + ":x")
                        .platform(PlatformChoice.parse("linux/s390x"))
                        .registry(insecure().build())
                        .build()));
    assertTrue(e.getMessage().contains("linux/amd64, linux/arm64"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("none")), "a failed pull creates no layout");
  }

  /**
   * The push does not hash the local blobs (the registry verifies every upload): a blob whose bytes
   * were changed in place is refused by the registry, and the failure names the blob and the
   * layout; nothing is tagged. Monolithic and chunked uploads.
   */
  @Test
  void corruptLocalBlobFailsThePushNamingTheBlobAndTheLayout() throws Exception {
    for (long threshold : new long[] {64L << 20, 100_000}) {
      Path src = tmp.resolve("corrupt-" + threshold);
      TestImages.image(src, "v1", arch, "corrupt-local", 600_000);
      dev.umoci.oci.spec.Descriptor big = largestLayer(src, "v1");
      Path file = src.resolve("blobs/sha256/" + big.digest().hex());
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] ^= 1;
      Files.write(file, bytes);
      String remote = "docker://" + registry.host() + "/corrupt/app-" + threshold + ":v1";
      RegistryOptions options = insecure().chunkThreshold(threshold).chunkSize(256 * 1024).build();
      dev.umoci.errors.DigestMismatchException e =
          assertThrows(
              dev.umoci.errors.DigestMismatchException.class,
              () -> copy("oci:" + src + ":v1", remote, options));
      assertEquals(
          "layout "
              + src
              + ": blob "
              + big.digest()
              + " is corrupt: its content has digest "
              + Digest.sha256(bytes)
              + " (the registry refused the upload)",
          e.getMessage());
      assertThrows(
          ManifestUnknownException.class,
          () -> copy(remote, "oci:" + tmp.resolve("never-" + threshold) + ":x", options));
    }
  }

  /** A local blob of another size than its descriptor's fails before anything is sent. */
  @Test
  void truncatedLocalBlobFailsThePushNamingTheBlobAndTheLayout() throws Exception {
    Path src = tmp.resolve("short");
    TestImages.image(src, "v1", arch, "short-local", 600_000);
    dev.umoci.oci.spec.Descriptor big = largestLayer(src, "v1");
    Path file = src.resolve("blobs/sha256/" + big.digest().hex());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1));
    dev.umoci.errors.SizeMismatchException e =
        assertThrows(
            dev.umoci.errors.SizeMismatchException.class,
            () ->
                copy(
                    "oci:" + src + ":v1",
                    "docker://" + registry.host() + "/corrupt/short:v1",
                    insecure().build()));
    assertEquals(
        "layout "
            + src
            + ": blob "
            + big.digest()
            + " is corrupt: "
            + (bytes.length - 1)
            + " bytes, its descriptor says "
            + bytes.length,
        e.getMessage());
  }

  private static dev.umoci.oci.spec.Descriptor largestLayer(Path layout, String tag)
      throws Exception {
    try (OciLayout l = OciLayout.open(layout)) {
      dev.umoci.oci.spec.Manifest m =
          l.readJson(References.resolve(l, tag), dev.umoci.oci.spec.Manifest.class);
      return m.layers().stream()
          .max(java.util.Comparator.comparingLong(dev.umoci.oci.spec.Descriptor::size))
          .orElseThrow();
    }
  }

  @Test
  void unknownTagIsAClearErrorAndLeavesTheLayoutAsItWas() throws Exception {
    Path src = tmp.resolve("src");
    TestImages.image(src, "v1", arch, "known-tags", 512);
    copy(
        "oci:" + src + ":v1", "docker://" + registry.host() + "/known/tags:v1", insecure().build());
    Path dst = tmp.resolve("dst");
    TestImages.image(dst, "mine", arch, "unknown-tag", 512);
    Map<String, String> before = LayoutChecks.snapshot(dst);
    // A mistyped tag and a mistyped repository get the same answer from the registry; the error
    // tells them apart by the repository's tags.
    ManifestUnknownException e =
        assertThrows(
            ManifestUnknownException.class,
            () ->
                copy(
                    "docker://" + registry.host() + "/known/tags:no-such-tag",
                    "oci:" + dst + ":x",
                    insecure().build()));
    assertEquals(
        "registry "
            + registry.host()
            + ": repository known/tags: get manifest no-such-tag: MANIFEST_UNKNOWN, HTTP 404"
            + " (repository known/tags has v1)",
        e.getMessage());
    ManifestUnknownException noRepository =
        assertThrows(
            ManifestUnknownException.class,
            () ->
                copy(
                    "docker://" + registry.host() + "/no/such-repository:v1",
                    "oci:" + dst + ":x",
                    insecure().build()));
    assertTrue(
        noRepository.getMessage().endsWith("(the registry has no repository no/such-repository)"),
        noRepository.getMessage());
    assertEquals(before, LayoutChecks.snapshot(dst));
  }

  /**
   * A layout holding a Docker schema 2 image (as a pull from Docker Hub stores it) is pushed as it
   * is, and pulls back with the same digest and media type.
   */
  @Test
  void aDockerSchema2ImageInALayoutIsPushedAsItIs() throws Exception {
    Path src = tmp.resolve("docker");
    Descriptor manifest;
    try (OciLayout layout = OciLayout.create(src)) {
      Descriptor layer =
          layout.putBytes(
              "application/vnd.docker.image.rootfs.diff.tar.gzip",
              "not inspected by a push".getBytes(StandardCharsets.UTF_8));
      Descriptor config =
          layout.putBytes(
              "application/vnd.docker.container.image.v1+json",
              ("{\"architecture\":\"amd64\",\"os\":\"linux\","
                      + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
                  .getBytes(StandardCharsets.UTF_8));
      manifest =
          layout.putBytes(
              MediaTypes.DOCKER_MANIFEST_V2,
              Json.toBytes(
                  new Manifest(
                      2, MediaTypes.DOCKER_MANIFEST_V2, null, config, List.of(layer), null, null)));
      References.update(layout, "d", manifest);
    }
    String remote = "docker://" + registry.host() + "/docker/app:1";
    copy("oci:" + src + ":d", remote, insecure().build());
    try (RegistryClient client = RegistryClient.connect(registry.host(), insecure().build())) {
      FetchedManifest served = client.getManifest("docker/app", "1");
      assertEquals(manifest.digest(), served.digest());
      assertEquals(MediaTypes.DOCKER_MANIFEST_V2, served.mediaType());
    }
    // Into a layout it comes back converted; the blobs are the same.
    Copy.Result back = copy(remote, "oci:" + tmp.resolve("back") + ":d", insecure().build());
    assertEquals(MediaTypes.IMAGE_MANIFEST, back.descriptor().mediaType());
    try (OciLayout layout = OciLayout.open(tmp.resolve("back"))) {
      Manifest m = ImageBlobs.manifest(layout, back.descriptor());
      assertEquals(MediaTypes.LAYER_TAR_GZIP, m.layers().get(0).mediaType());
      assertEquals(
          Digest.sha256("not inspected by a push".getBytes(StandardCharsets.UTF_8)),
          m.layers().get(0).digest());
    }
  }

  /** A destination digest that is not the image's is refused before any blob is sent. */
  @Test
  void aPushToAnotherDigestSendsNothing() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "other-digest", 512);
    String other = "sha256:" + "0".repeat(64);
    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class,
            () ->
                copy(
                    "oci:" + src + ":v1",
                    "docker://" + registry.host() + "/digest/nothing@" + other,
                    insecure().build()));
    assertEquals(
        "registry "
            + registry.host()
            + ": repository digest/nothing: cannot push "
            + manifest
            + " as "
            + other
            + ": the digests differ",
        e.getMessage());
    try (RegistryClient client = RegistryClient.connect(registry.host(), insecure().build())) {
      for (String blob : LayoutChecks.snapshot(src.resolve("blobs/sha256")).keySet()) {
        if (!blob.endsWith("/")) {
          assertFalse(
              client.hasBlob("digest/nothing", Digest.parse("sha256:" + blob), false), blob);
        }
      }
    }
  }

  @Test
  void unreachableRegistryIsOneLineNamingTheHost() throws Exception {
    int port = TestRegistry.freePort();
    RegistryUnreachableException e =
        assertThrows(
            RegistryUnreachableException.class,
            () ->
                copy(
                    "docker://127.0.0.1:" + port + "/x/y:1",
                    "oci:" + tmp.resolve("dst") + ":x",
                    insecure().attempts(2).build()));
    assertEquals("registry 127.0.0.1:" + port + ": ping /v2/: connection refused", e.getMessage());
    assertFalse(Files.exists(tmp.resolve("dst")));
  }

  @Test
  void copyCommandMovesImagesBothWays() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "cli", 512);
    String remote = "docker://" + registry.host() + "/cli/app:v1";
    CliRunner.Result push =
        CliRunner.run("copy", "--dest-tls-verify=false", "oci:" + src + ":v1", remote)
            .assertSuccess();
    assertEquals(manifest + "\n", push.stdout());
    Path dst = tmp.resolve("dst");
    CliRunner.run("copy", "--src-tls-verify=false", remote, "oci:" + dst + ":v1").assertSuccess();
    LayoutChecks.assertTag(dst, "v1", manifest);

    CliRunner.Result bad = CliRunner.run("copy", "img:v1", remote);
    assertEquals(1, bad.exitCode());
    assertEquals(
        "umoci: invalid source \"img:v1\": expected oci:PATH[:TAG], oci-archive:PATH[:TAG],"
            + " docker-archive:PATH[:NAME[:TAG]] or docker://REFERENCE\n",
        bad.stderr());
    CliRunner.Result both =
        CliRunner.run("copy", "--all", "--platform", "linux/arm64", "oci:" + src + ":v1", remote);
    assertEquals("umoci: --all and --platform are mutually exclusive\n", both.stderr());
  }

  @Test
  void ociToOciCopiesTheBlobsAndTags() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "oci-oci", 512);
    Path dst = tmp.resolve("dst");
    Copy.Result r = copy("oci:" + src + ":v1", "oci:" + dst + ":copied", insecure().build());
    assertEquals(3 + 1, r.blobsCopied(), "manifest, config and two layers");
    LayoutChecks.assertTag(dst, "copied", manifest);
    try (OciLayout l = OciLayout.open(dst)) {
      assertEquals(List.of("copied"), References.list(l));
    }
  }
}
