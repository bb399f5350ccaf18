package dev.umoci.registry;

import static dev.umoci.testing.TestRegistry.insecure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.Platform;
import dev.umoci.ops.Copy;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.RegistryExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Both directions against skopeo through a real registry. */
class SkopeoRegistryInteropTest {
  static final String SKOPEO = "/usr/bin/skopeo";

  @RegisterExtension static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir Path tmp;

  @BeforeAll
  static void requireSkopeo() {
    Interop.requireTool(SKOPEO);
  }

  private static Copy.Result copy(String src, String dst, PlatformChoice platform)
      throws Exception {
    return Copy.run(
        Copy.Options.builder(src, dst).platform(platform).registry(insecure().build()).build());
  }

  private static void skopeo(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(SKOPEO, "--insecure-policy"));
    cmd.addAll(List.of(args));
    ExternalTool.run(cmd).assertSuccess();
  }

  private static Digest tagged(Path layout, String tag) throws Exception {
    try (OciLayout l = OciLayout.open(layout)) {
      return References.resolve(l, tag).digest();
    }
  }

  @Test
  void whatWePushSkopeoPullsWithTheSameDigests() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", "amd64", "to-skopeo", 4096);
    String remote = "docker://" + registry.host() + "/ours/app:v1";
    copy("oci:" + src + ":v1", remote, null);

    Path bySkopeo = tmp.resolve("skopeo");
    skopeo("copy", "--src-tls-verify=false", remote, "oci:" + bySkopeo + ":v1");
    assertEquals(manifest, tagged(bySkopeo, "v1"));
    LayoutChecks.assertValid(bySkopeo);
  }

  /**
   * An image skopeo copied to {@code oci:PATH} (skopeo stores it without a name) is the source
   * {@code oci:PATH} of our copy, as of skopeo's, to a layout and to a registry; once the layout
   * holds two such images, the error says to name one and nothing is written.
   */
  @Test
  void anUnnamedImageSkopeoStoredIsTheSourceOfACopyWithoutATag() throws Exception {
    Path ours = tmp.resolve("ours");
    Digest first = TestImages.image(ours, "v1", "amd64", "unnamed-1", 256);
    Path bare = tmp.resolve("bare");
    skopeo("copy", "oci:" + ours + ":v1", "oci:" + bare);
    try (OciLayout l = OciLayout.open(bare)) {
      assertEquals(List.of(), References.list(l), "skopeo stores no name");
    }
    CliRunner.run("copy", "oci:" + bare, "oci:" + tmp.resolve("dst") + ":x").assertSuccess();
    LayoutChecks.assertTag(tmp.resolve("dst"), "x", first);
    String remote = "docker://" + registry.host() + "/unnamed/app:1";
    CliRunner.run("copy", "--dest-tls-verify=false", "oci:" + bare, remote).assertSuccess();
    skopeo("copy", "--src-tls-verify=false", remote, "oci:" + tmp.resolve("back") + ":1");
    assertEquals(first, tagged(tmp.resolve("back"), "1"));

    TestImages.image(ours, "v2", "amd64", "unnamed-2", 256);
    skopeo("copy", "oci:" + ours + ":v2", "oci:" + bare);
    CliRunner.Result two = CliRunner.run("copy", "oci:" + bare, "oci:" + tmp.resolve("none"));
    assertEquals(1, two.exitCode());
    assertEquals(
        "umoci: tag \"latest\" not found in layout "
            + bare
            + ", which holds 2 images: name one as oci:"
            + bare
            + ":TAG\n",
        two.stderr());
    assertFalse(java.nio.file.Files.exists(tmp.resolve("none")));
  }

  @Test
  void whatSkopeoPushesWePullAndUnpackToTheSameTree() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", "amd64", "from-skopeo", 4096);
    String remote = "docker://" + registry.host() + "/theirs/app:v1";
    skopeo("copy", "--dest-tls-verify=false", "oci:" + src + ":v1", remote);

    Path dst = tmp.resolve("dst");
    Copy.Result pulled = copy(remote, "oci:" + dst + ":v1", null);
    assertEquals(manifest, pulled.descriptor().digest());
    LayoutChecks.assertTag(dst, "v1", manifest);

    CliRunner.run("unpack", "--image", src + ":v1", tmp.resolve("b1").toString()).assertSuccess();
    CliRunner.run("unpack", "--image", dst + ":v1", tmp.resolve("b2").toString()).assertSuccess();
    Map<String, String> tree = LayoutChecks.snapshot(tmp.resolve("b2/rootfs"));
    assertTrue(tree.containsKey("etc/hello"), tree.toString());
    assertEquals(LayoutChecks.snapshot(tmp.resolve("b1/rootfs")), tree);
  }

  @Test
  void multiPlatformBasePushedBySkopeoIsPulledByPlatformAndWhole() throws Exception {
    Path src = tmp.resolve("src");
    Digest amd = TestImages.image(src, "amd64", "amd64", "base-amd64", 1024);
    Digest arm = TestImages.image(src, "arm64", "arm64", "base-arm64", 1024);
    Descriptor index =
        TestImages.index(src, "multi", List.of("amd64", "arm64"), List.of("amd64", "arm64"));
    String remote = "docker://" + registry.host() + "/base/multi:1";
    skopeo("copy", "--all", "--dest-tls-verify=false", "oci:" + src + ":multi", remote);

    Path dst = tmp.resolve("dst");
    assertEquals(
        arm,
        copy(remote, "oci:" + dst + ":arm", PlatformChoice.parse("linux/arm64"))
            .descriptor()
            .digest());
    assertEquals(
        amd,
        copy(remote, "oci:" + dst + ":amd", PlatformChoice.parse("linux/amd64"))
            .descriptor()
            .digest());
    try (OciLayout l = OciLayout.open(dst)) {
      assertFalse(l.hasBlob(index.digest()), "one platform: the index itself is not stored");
    }
    assertEquals(
        index.digest(),
        copy(remote, "oci:" + dst + ":all", PlatformChoice.whole()).descriptor().digest());
    LayoutChecks.assertTag(dst, "all", index.digest());
    LayoutChecks.assertTag(dst, "arm", arm);

    // And back: what we push as a whole index, skopeo copies with --all to the same digests.
    String ours = "docker://" + registry.host() + "/base/ours:1";
    copy("oci:" + dst + ":all", ours, PlatformChoice.whole());
    Path bySkopeo = tmp.resolve("skopeo");
    skopeo("copy", "--all", "--src-tls-verify=false", ours, "oci:" + bySkopeo + ":all");
    assertEquals(index.digest(), tagged(bySkopeo, "all"));
  }

  /**
   * Docker's official images (and anything built with buildx) carry attestation manifests in their
   * index: an OCI manifest for platform unknown/unknown whose layer is an in-toto statement. A pull
   * of one platform must not pick it, a whole pull keeps it (and {@code gc} its blobs), and it goes
   * back to a registry as it came.
   */
  @Test
  void anIndexWithABuildxAttestationIsPulledByPlatformAndWhole() throws Exception {
    String arch = Copy.hostPlatform().architecture();
    Path src = tmp.resolve("src");
    Digest image = TestImages.image(src, "img", arch, "attested", 1024);
    Descriptor statement;
    Descriptor index;
    try (OciLayout l = OciLayout.open(src)) {
      statement =
          l.putBytes(
              "application/vnd.in-toto+json",
              ("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":"
                      + "\"https://slsa.dev/provenance/v0.2\",\"subject\":[{\"name\":\"img\","
                      + "\"digest\":{\"sha256\":\""
                      + image.hex()
                      + "\"}}],\"predicate\":{}}")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      Descriptor config =
          l.putBytes(
              MediaTypes.IMAGE_CONFIG,
              ("{\"architecture\":\"unknown\",\"os\":\"unknown\",\"config\":{},"
                      + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                      + statement.digest()
                      + "\"]}}")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      Descriptor attestation =
          l.putJson(MediaTypes.IMAGE_MANIFEST, Manifest.of(config, List.of(statement)));
      Descriptor img = References.resolve(l, "img");
      Index multi =
          new Index(
              2,
              MediaTypes.IMAGE_INDEX,
              null,
              List.of(
                  new Descriptor(
                      img.mediaType(),
                      img.digest(),
                      img.size(),
                      null,
                      null,
                      null,
                      new Platform(arch, "linux", null, null, null, null),
                      null),
                  new Descriptor(
                      attestation.mediaType(),
                      attestation.digest(),
                      attestation.size(),
                      null,
                      Map.of(
                          "vnd.docker.reference.digest",
                          image.toString(),
                          "vnd.docker.reference.type",
                          "attestation-manifest"),
                      null,
                      new Platform("unknown", "unknown", null, null, null, null),
                      null)),
              null,
              null);
      index = l.putJson(MediaTypes.IMAGE_INDEX, multi);
      References.update(l, "multi", index);
    }
    String remote = "docker://" + registry.host() + "/attested/app:1";
    skopeo("copy", "--all", "--dest-tls-verify=false", "oci:" + src + ":multi", remote);

    Path dst = tmp.resolve("dst");
    assertEquals(image, copy(remote, "oci:" + dst + ":one", null).descriptor().digest());
    try (OciLayout l = OciLayout.open(dst)) {
      assertFalse(l.hasBlob(statement.digest()), "one platform: no attestation");
    }
    assertEquals(
        index.digest(),
        copy(remote, "oci:" + dst + ":all", PlatformChoice.whole()).descriptor().digest());
    CliRunner.run("gc", "--layout", dst.toString()).assertSuccess();
    try (OciLayout l = OciLayout.open(dst)) {
      assertTrue(l.hasBlob(statement.digest()), "gc keeps the attestation's statement");
    }
    CliRunner.run("unpack", "--rootless", "--image", dst + ":all", tmp.resolve("bundle").toString())
        .assertSuccess(); // the host's image of the index

    String back = "docker://" + registry.host() + "/attested/back:1";
    copy("oci:" + dst + ":all", back, PlatformChoice.whole());
    Path bySkopeo = tmp.resolve("skopeo");
    skopeo("copy", "--all", "--src-tls-verify=false", back, "oci:" + bySkopeo + ":all");
    assertEquals(index.digest(), tagged(bySkopeo, "all"));
  }
}
