package dev.umoci.registry;

import static dev.umoci.testing.TestRegistry.insecure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.DigestsNotPreservedException;
import dev.umoci.errors.UnconvertibleImageException;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.ops.Copy;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.RegistryExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images skopeo pushes as Docker schema 2 ({@code --format v2s2}), copied into OCI layouts: stored
 * converted to OCI (same config and layer blobs, new manifest digests), so that our commands,
 * Debian's umoci and skopeo read them; with {@code --preserve-digests} refused, leaving nothing.
 * The same for a layout that holds such manifests as served (as the Maven base cache and older
 * versions store them) copied to another layout; copied to a registry, they go as they are.
 */
class DockerSchema2CopyTest {
  static final String SKOPEO = "/usr/bin/skopeo";
  static final String UMOCI = "/usr/bin/umoci";

  @RegisterExtension static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir Path tmp;

  @BeforeAll
  static void requireSkopeo() {
    Interop.requireTool(SKOPEO);
  }

  private static Copy.Builder options(String src, String dst) throws Exception {
    return Copy.Options.builder(src, dst).registry(insecure().build());
  }

  /**
   * Pulls {@code remote} into a new layout {@code dir} as {@code tag} with its manifests as served
   * (the plain storage of the Maven base cache and of copies between registries): a layout holding
   * Docker schema 2 manifests, which skopeo's oci transport cannot write.
   */
  private static Descriptor servedIntoLayout(
      String remote, Path dir, String tag, PlatformChoice platform) throws Exception {
    Reference ref = Reference.parse(remote.substring("docker://".length()));
    try (OciLayout layout = OciLayout.create(dir);
        RegistryClient client = RegistryClient.connect(ref.registry(), insecure().build())) {
      Descriptor d =
          Puller.pull(
                  client, ref, platform, layout, Puller.Manifests.AS_SERVED, null, Puller.NOBODY)
              .descriptor();
      References.update(layout, tag, d);
      return d;
    }
  }

  /** Every blob of a layout, by name, with its bytes' digest (to see that nothing changed). */
  private static Map<String, String> blobs(Path layout) {
    return LayoutChecks.snapshot(layout.resolve("blobs"));
  }

  private static Copy.Result copy(String src, String dst, PlatformChoice platform)
      throws Exception {
    return Copy.run(options(src, dst).platform(platform).build());
  }

  private static ExternalTool.Result skopeo(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SKOPEO, "--insecure-policy"));
    cmd.addAll(List.of(args));
    return ExternalTool.run(cmd).assertSuccess();
  }

  /**
   * An image of one {@code size}-byte file made in {@code src} (tag {@code v1}) and pushed by
   * skopeo as Docker schema 2 to {@code path} of the test registry; returns its {@code docker://}
   * reference.
   */
  private static String dockerImagePushedBySkopeo(Path src, String content, int size, String path)
      throws Exception {
    TestImages.image(src, "v1", "amd64", content, size);
    String remote = "docker://" + registry.host() + path;
    skopeo("copy", "--dest-tls-verify=false", "--format", "v2s2", "oci:" + src + ":v1", remote);
    return remote;
  }

  /**
   * An amd64 and an arm64 image made in {@code src} (tags {@code amd64}, {@code arm64}, index
   * {@code multi}) and pushed by skopeo ({@code --all}) as a Docker manifest list to {@code path}
   * of the test registry; returns its {@code docker://} reference.
   */
  private static String dockerListPushedBySkopeo(Path src, String content, String path)
      throws Exception {
    TestImages.image(src, "amd64", "amd64", content + "-amd64", 1024);
    TestImages.image(src, "arm64", "arm64", content + "-arm64", 1024);
    TestImages.index(src, "multi", List.of("amd64", "arm64"), List.of("amd64", "arm64"));
    String remote = "docker://" + registry.host() + path;
    skopeo(
        "copy",
        "--all",
        "--format",
        "v2s2",
        "--dest-tls-verify=false",
        "oci:" + src + ":multi",
        remote);
    return remote;
  }

  /** The manifest the registry serves for {@code remote}, as skopeo fetches it. */
  private static byte[] served(String remote) throws Exception {
    // skopeo prints the raw bytes as they are (no newline added)
    return skopeo("inspect", "--raw", "--tls-verify=false", remote)
        .stdout()
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> unpackedByUs(Path layout, String tag, Path bundle) {
    CliRunner.run("unpack", "--image", layout + ":" + tag, bundle.toString()).assertSuccess();
    return LayoutChecks.snapshot(bundle.resolve("rootfs"));
  }

  /** Debian's umoci (which reads no Docker media type) and skopeo read {@code layout:tag}. */
  private Map<String, String> readByOthers(Path layout, String tag) throws Exception {
    skopeo("inspect", "oci:" + layout + ":" + tag);
    Interop.requireTool(UMOCI);
    ExternalTool.run(UMOCI, "stat", "--image", layout + ":" + tag).assertSuccess();
    Path bundle = tmp.resolve("go-" + tag);
    ExternalTool.run(
            UMOCI, "unpack", "--rootless", "--image", layout + ":" + tag, bundle.toString())
        .assertSuccess();
    return LayoutChecks.snapshot(bundle.resolve("rootfs"));
  }

  @Test
  void dockerManifestIsStoredAsOciWithTheSameBlobs() throws Exception {
    Path src = tmp.resolve("src");
    String remote = dockerImagePushedBySkopeo(src, "docker-v2s2", 4096, "/docker/app:v1");
    byte[] servedBytes = served(remote);
    Manifest docker = Json.parse(servedBytes, Manifest.class, "served");
    assertEquals(MediaTypes.DOCKER_MANIFEST_V2, docker.mediaType());

    Path dst = tmp.resolve("dst");
    Copy.Result pulled = copy(remote, "oci:" + dst + ":v1", null);
    Descriptor top = pulled.descriptor();
    assertEquals(MediaTypes.IMAGE_MANIFEST, top.mediaType());
    assertNotEquals(Digest.sha256(servedBytes), top.digest());
    LayoutChecks.assertTag(dst, "v1", top.digest());
    LayoutChecks.assertValid(dst);
    try (OciLayout l = OciLayout.open(dst)) {
      Manifest oci = ImageBlobs.manifest(l, References.resolve(l, "v1"));
      assertEquals(MediaTypes.IMAGE_CONFIG, oci.config().mediaType());
      assertEquals(docker.config().digest(), oci.config().digest(), "config stored byte for byte");
      assertEquals(
          docker.layers().stream().map(Descriptor::digest).toList(),
          oci.layers().stream().map(Descriptor::digest).toList());
      for (Descriptor layer : oci.layers()) {
        assertEquals(MediaTypes.LAYER_TAR_GZIP, layer.mediaType());
      }
      assertFalse(l.hasBlob(Digest.sha256(servedBytes)), "the Docker manifest is not stored");
    }

    // The same image pinned by the digest the registry serves.
    String pinned = "docker://" + registry.host() + "/docker/app@" + Digest.sha256(servedBytes);
    assertEquals(top.digest(), copy(pinned, "oci:" + dst + ":pinned", null).descriptor().digest());

    CliRunner.run("stat", "--image", dst + ":v1").assertSuccess();
    Map<String, String> ours = unpackedByUs(dst, "v1", tmp.resolve("ours"));
    assertTrue(ours.containsKey("etc/hello"), ours.toString());
    assertEquals(unpackedByUs(src, "v1", tmp.resolve("source")), ours);
    assertEquals(ours, readByOthers(dst, "v1"));
  }

  @Test
  void dockerManifestListIsPulledByPlatformAndWhole() throws Exception {
    Path src = tmp.resolve("src");
    String remote = dockerListPushedBySkopeo(src, "list", "/docker/multi:1");
    assertEquals(
        MediaTypes.DOCKER_MANIFEST_LIST,
        Json.parse(served(remote), Index.class, "served").mediaType());

    Path dst = tmp.resolve("dst");
    Descriptor arm =
        copy(remote, "oci:" + dst + ":arm", PlatformChoice.parse("linux/arm64")).descriptor();
    assertEquals(MediaTypes.IMAGE_MANIFEST, arm.mediaType());
    Descriptor all = copy(remote, "oci:" + dst + ":all", PlatformChoice.whole()).descriptor();
    assertEquals(MediaTypes.IMAGE_INDEX, all.mediaType());
    LayoutChecks.assertValid(dst);
    try (OciLayout l = OciLayout.open(dst)) {
      List<Descriptor> entries = ImageBlobs.index(l, References.resolve(l, "all")).manifests();
      assertEquals(
          List.of("amd64", "arm64"),
          entries.stream().map(d -> d.platform().architecture()).toList());
      for (Descriptor entry : entries) {
        assertEquals(MediaTypes.IMAGE_MANIFEST, entry.mediaType());
      }
      assertEquals(arm.digest(), entries.get(1).digest(), "one conversion, one digest");
    }

    for (String arch : List.of("amd64", "arm64")) {
      Path bundle = tmp.resolve("all-" + arch);
      CliRunner.run(
              "unpack", "--platform", "linux/" + arch, "--image", dst + ":all", bundle.toString())
          .assertSuccess();
      Map<String, String> tree = LayoutChecks.snapshot(bundle.resolve("rootfs"));
      assertEquals(arch + "\n", Files.readString(bundle.resolve("rootfs/etc/arch")));
      assertEquals(unpackedByUs(src, arch, tmp.resolve("src-" + arch)), tree);
    }
    Map<String, String> arm64 = unpackedByUs(dst, "arm", tmp.resolve("arm"));
    assertEquals(arm64, readByOthers(dst, "arm"));
    skopeo("inspect", "oci:" + dst + ":all");
  }

  @Test
  void preserveDigestsRefusesTheConversionAndLeavesNoLayout() throws Exception {
    Path src = tmp.resolve("src");
    String docker = dockerImagePushedBySkopeo(src, "preserve", 1024, "/docker/preserve:v1");

    Path dst = tmp.resolve("new/layout");
    assertThrows(
        DigestsNotPreservedException.class,
        () -> Copy.run(options(docker, "oci:" + dst + ":v1").preserveDigests(true).build()));
    assertFalse(Files.exists(tmp.resolve("new")), "no layout is left");

    CliRunner.Result r =
        CliRunner.run(
            "copy", "--preserve-digests", "--src-tls-verify=false", docker, "oci:" + dst + ":v1");
    assertEquals(1, r.exitCode(), r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().contains("cannot preserve digests"), r.stderr());
    assertTrue(r.stderr().contains(MediaTypes.DOCKER_MANIFEST_V2), r.stderr());
    assertFalse(Files.exists(tmp.resolve("new")), "no layout is left");

    // An OCI image keeps its digest, so --preserve-digests copies it.
    String oci = "docker://" + registry.host() + "/oci/preserve:v1";
    skopeo("copy", "--dest-tls-verify=false", "oci:" + src + ":v1", oci);
    Copy.Result kept = Copy.run(options(oci, "oci:" + dst + ":v1").preserveDigests(true).build());
    LayoutChecks.assertTag(dst, "v1", kept.descriptor().digest());
    assertEquals(Digest.sha256(served(oci)), kept.descriptor().digest());
  }

  @Test
  void copiesBetweenRegistriesKeepDockerManifests() throws Exception {
    Path src = tmp.resolve("src");
    String docker = dockerImagePushedBySkopeo(src, "registry-to-registry", 1024, "/docker/r2r:v1");
    byte[] before = served(docker);
    String copied = "docker://" + registry.host() + "/docker/r2r-copy:v1";
    Copy.Result r = copy(docker, copied, null);
    assertEquals(Digest.sha256(before), r.descriptor().digest());
    assertEquals(
        new String(before, StandardCharsets.UTF_8),
        new String(served(copied), StandardCharsets.UTF_8));
  }

  @Test
  void layoutOfDockerManifestsIsCopiedToALayoutAsOci() throws Exception {
    Path src = tmp.resolve("src");
    String remote = dockerImagePushedBySkopeo(src, "layout-to-layout", 4096, "/docker/l2l:v1");
    Path docker = tmp.resolve("docker");
    Descriptor served = servedIntoLayout(remote, docker, "v1", PlatformChoice.whole());
    assertEquals(MediaTypes.DOCKER_MANIFEST_V2, served.mediaType());
    Manifest dockerManifest;
    try (OciLayout l = OciLayout.open(docker)) {
      dockerManifest = ImageBlobs.manifest(l, served);
    }

    Path dst = tmp.resolve("dst");
    Descriptor top = copy("oci:" + docker + ":v1", "oci:" + dst + ":v1", null).descriptor();
    assertEquals(MediaTypes.IMAGE_MANIFEST, top.mediaType());
    // One conversion: the same manifest as a pull of the registry's image into a layout.
    Descriptor pulled = copy(remote, "oci:" + tmp.resolve("pulled") + ":v1", null).descriptor();
    assertEquals(pulled, top);
    LayoutChecks.assertTag(dst, "v1", top.digest());
    LayoutChecks.assertValid(dst);
    try (OciLayout l = OciLayout.open(dst)) {
      Manifest oci = ImageBlobs.manifest(l, References.resolve(l, "v1"));
      assertEquals(MediaTypes.IMAGE_CONFIG, oci.config().mediaType());
      assertEquals(dockerManifest.config().digest(), oci.config().digest(), "the same config");
      assertEquals(
          dockerManifest.layers().stream().map(Descriptor::digest).toList(),
          oci.layers().stream().map(Descriptor::digest).toList(),
          "the same layers");
      for (Descriptor layer : oci.layers()) {
        assertEquals(MediaTypes.LAYER_TAR_GZIP, layer.mediaType());
      }
      assertFalse(l.hasBlob(served.digest()), "the Docker manifest is not copied");
    }
    String inspected = skopeo("inspect", "oci:" + dst + ":v1").stdout();
    assertTrue(inspected.contains(dockerManifest.layers().get(0).digest().toString()), inspected);
    assertEquals(unpackedByUs(src, "v1", tmp.resolve("source")), readByOthers(dst, "v1"));
  }

  @Test
  void layoutOfADockerListIsCopiedWholeAndByPlatformAsOci() throws Exception {
    Path src = tmp.resolve("src");
    String remote = dockerListPushedBySkopeo(src, "l2l", "/docker/l2l-multi:1");
    Path docker = tmp.resolve("docker");
    Descriptor served = servedIntoLayout(remote, docker, "all", PlatformChoice.whole());
    assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, served.mediaType());

    Path dst = tmp.resolve("dst");
    Descriptor all =
        copy("oci:" + docker + ":all", "oci:" + dst + ":all", PlatformChoice.whole()).descriptor();
    assertEquals(MediaTypes.IMAGE_INDEX, all.mediaType());
    Descriptor pulled =
        copy(remote, "oci:" + tmp.resolve("pulled") + ":all", PlatformChoice.whole()).descriptor();
    assertEquals(pulled, all, "the same conversion as a pull");
    Descriptor arm =
        copy("oci:" + docker + ":all", "oci:" + dst + ":arm", PlatformChoice.parse("linux/arm64"))
            .descriptor();
    assertEquals(MediaTypes.IMAGE_MANIFEST, arm.mediaType());
    LayoutChecks.assertValid(dst);
    try (OciLayout l = OciLayout.open(dst)) {
      List<Descriptor> entries = ImageBlobs.index(l, References.resolve(l, "all")).manifests();
      assertEquals(
          List.of("amd64", "arm64"),
          entries.stream().map(d -> d.platform().architecture()).toList());
      for (Descriptor entry : entries) {
        assertEquals(MediaTypes.IMAGE_MANIFEST, entry.mediaType());
      }
      assertEquals(arm.digest(), entries.get(1).digest(), "one conversion, one digest");
    }
    skopeo("inspect", "oci:" + dst + ":all");
    assertEquals(unpackedByUs(src, "arm64", tmp.resolve("src-arm")), readByOthers(dst, "arm"));
  }

  @Test
  void preserveDigestsRefusesALayoutOfDockerManifestsAndLeavesNothing() throws Exception {
    Path src = tmp.resolve("src");
    String remote = dockerImagePushedBySkopeo(src, "l2l-preserve", 1024, "/docker/l2l-preserve:v1");
    Path docker = tmp.resolve("docker");
    servedIntoLayout(remote, docker, "v1", PlatformChoice.whole());

    Path dst = tmp.resolve("new/layout");
    assertThrows(
        DigestsNotPreservedException.class,
        () ->
            Copy.run(
                options("oci:" + docker + ":v1", "oci:" + dst + ":v1")
                    .preserveDigests(true)
                    .build()));
    assertFalse(Files.exists(tmp.resolve("new")), "no layout is left");

    CliRunner.Result r =
        CliRunner.run("copy", "--preserve-digests", "oci:" + docker + ":v1", "oci:" + dst + ":v1");
    assertEquals(1, r.exitCode(), r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().contains("layout " + docker + ": cannot preserve digests"), r.stderr());
    assertTrue(r.stderr().contains(MediaTypes.DOCKER_MANIFEST_V2), r.stderr());
    assertFalse(Files.exists(tmp.resolve("new")), "no layout is left");

    // Into an existing layout: untouched.
    Path existing = tmp.resolve("existing");
    copy("oci:" + src + ":v1", "oci:" + existing + ":kept", null);
    Map<String, String> before = blobs(existing);
    String index = Files.readString(existing.resolve("index.json"));
    assertThrows(
        DigestsNotPreservedException.class,
        () ->
            Copy.run(
                options("oci:" + docker + ":v1", "oci:" + existing + ":v1")
                    .preserveDigests(true)
                    .build()));
    assertEquals(before, blobs(existing));
    assertEquals(index, Files.readString(existing.resolve("index.json")));
    LayoutChecks.assertNoTempDirs(existing);
  }

  @Test
  void anUnconvertibleDockerManifestInALayoutLeavesTheDestinationAsItWas() throws Exception {
    Path src = tmp.resolve("src");
    String remote = dockerImagePushedBySkopeo(src, "l2l-unconvertible", 1024, "/docker/l2l-odd:v1");
    Path docker = tmp.resolve("docker");
    Descriptor served = servedIntoLayout(remote, docker, "v1", PlatformChoice.whole());
    try (OciLayout l = OciLayout.open(docker)) {
      // The same manifest with a layer type that has no OCI equivalent.
      String json = new String(l.readBlob(served), StandardCharsets.UTF_8);
      String odd =
          json.replace(
              "application/vnd.docker.image.rootfs.diff.tar.gzip", "application/x-odd-layer");
      assertNotEquals(json, odd);
      Descriptor d =
          l.putBytes(MediaTypes.DOCKER_MANIFEST_V2, odd.getBytes(StandardCharsets.UTF_8));
      References.update(l, "odd", d);
    }
    Path existing = tmp.resolve("existing");
    copy("oci:" + src + ":v1", "oci:" + existing + ":kept", null);
    Map<String, String> before = blobs(existing);
    UnconvertibleImageException e =
        assertThrows(
            UnconvertibleImageException.class,
            () -> copy("oci:" + docker + ":odd", "oci:" + existing + ":odd", null));
    assertTrue(e.getMessage().contains("application/x-odd-layer"), e.getMessage());
    assertEquals(before, blobs(existing));
    LayoutChecks.assertValid(existing);
    assertThrows(
        UnconvertibleImageException.class,
        () -> copy("oci:" + docker + ":odd", "oci:" + tmp.resolve("fresh") + ":odd", null));
    assertFalse(Files.exists(tmp.resolve("fresh")), "no layout is left");
  }

  @Test
  void layoutOfDockerManifestsIsPushedAsItIs() throws Exception {
    Path src = tmp.resolve("src");
    String remote = dockerImagePushedBySkopeo(src, "layout-to-registry", 1024, "/docker/l2r:v1");
    Path docker = tmp.resolve("docker");
    Descriptor served = servedIntoLayout(remote, docker, "v1", PlatformChoice.whole());

    String pushed = "docker://" + registry.host() + "/docker/l2r-pushed:v1";
    Copy.Result r = copy("oci:" + docker + ":v1", pushed, null);
    assertEquals(served.digest(), r.descriptor().digest());
    byte[] now = served(pushed);
    assertEquals(served.digest(), Digest.sha256(now));
    assertEquals(
        MediaTypes.DOCKER_MANIFEST_V2, Json.parse(now, Manifest.class, "pushed").mediaType());
  }
}
