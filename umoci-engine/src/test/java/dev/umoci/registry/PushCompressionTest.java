package dev.umoci.registry;

import static dev.umoci.testing.TestRegistry.insecure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.PlatformIndexes;
import dev.umoci.testing.RegistryExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push compresses uncompressed layers, as skopeo does for a registry destination: the config and
 * the other layers stay, the manifests above are rewritten, the source layout is untouched; {@code
 * --preserve-digests} pushes the image as it is.
 */
class PushCompressionTest {
  @RegisterExtension static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir Path tmp;

  /** {@code layout:tag} for {@code arch}: a plain-tar layer, then a gzip one. */
  private Digest image(Path layout, String tag, String arch) throws Exception {
    if (!Files.exists(layout)) {
      CliRunner.run("init", "--layout", layout.toString()).assertSuccess();
    }
    String image = layout + ":" + tag;
    CliRunner.run("new", "--image", image).assertSuccess();
    Path plain = Files.createDirectories(tmp.resolve("plain-" + tag));
    Files.writeString(plain.resolve("plain.txt"), "stored uncompressed on " + arch + "\n");
    CliRunner.run("insert", "--compress=none", "--image", image, plain.toString(), "/plain")
        .assertSuccess();
    Path zipped = Files.createDirectories(tmp.resolve("zipped-" + tag));
    Files.writeString(zipped.resolve("zipped.txt"), "stored gzipped\n");
    CliRunner.run("insert", "--compress=gzip", "--image", image, zipped.toString(), "/zipped")
        .assertSuccess();
    CliRunner.run("config", "--image", image, "--os", "linux", "--architecture", arch)
        .assertSuccess();
    try (OciLayout l = OciLayout.open(layout)) {
      return References.resolve(l, tag).digest();
    }
  }

  private static JsonNode json(Path layout, Digest digest) throws Exception {
    return Json.mapper()
        .readTree(Files.readAllBytes(layout.resolve("blobs/sha256/" + digest.hex())));
  }

  private static JsonNode served(String repository, String reference) throws Exception {
    try (RegistryClient client = RegistryClient.connect(registry.host(), insecure().build())) {
      return Json.mapper().readTree(client.getManifest(repository, reference).bytes());
    }
  }

  @Test
  void uncompressedLayersArePushedGzippedAndReadBackAsTheSameImage() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = image(src, "x", "amd64");
    JsonNode original = json(src, manifest);
    Map<String, String> before = LayoutChecks.snapshot(src);
    Path digestFile = tmp.resolve("digest");

    CliRunner.run(
            "copy",
            "--dest-tls-verify=false",
            "--digestfile",
            digestFile.toString(),
            "oci:" + src + ":x",
            "docker://" + registry.host() + "/t/compressed:1")
        .assertSuccess();
    JsonNode pushed = served("t/compressed", "1");
    assertEquals(original.path("config"), pushed.path("config"), "the config is unchanged");
    assertEquals(MediaTypes.LAYER_TAR, original.path("layers").path(0).path("mediaType").asText());
    assertEquals(
        MediaTypes.LAYER_TAR_GZIP, pushed.path("layers").path(0).path("mediaType").asText());
    assertNotEquals(
        original.path("layers").path(0).path("digest"),
        pushed.path("layers").path(0).path("digest"));
    assertEquals(original.path("layers").path(1), pushed.path("layers").path(1), "gzip as it was");
    Digest pushedDigest = Digest.parse(Files.readString(digestFile).trim());
    assertNotEquals(manifest, pushedDigest, "a new manifest");
    assertEquals(before, LayoutChecks.snapshot(src), "the source layout is untouched");

    // skopeo pulls it (checking every blob) and Debian's umoci unpacks the same files.
    Interop.requireTool(DockerSchema2CopyTest.SKOPEO);
    Path back = tmp.resolve("back");
    ExternalTool.run(
            DockerSchema2CopyTest.SKOPEO,
            "--insecure-policy",
            "copy",
            "--src-tls-verify=false",
            "docker://" + registry.host() + "/t/compressed:1",
            "oci:" + back + ":1")
        .assertSuccess();
    Path bundle = tmp.resolve("bundle");
    Interop.unpackWithDebianUmoci(back + ":1", bundle);
    assertEquals(
        "stored uncompressed on amd64\n",
        Files.readString(bundle.resolve("rootfs/plain/plain.txt")));
    assertEquals("stored gzipped\n", Files.readString(bundle.resolve("rootfs/zipped/zipped.txt")));

    CliRunner.run(
            "copy",
            "--preserve-digests",
            "--dest-tls-verify=false",
            "--digestfile",
            digestFile.toString(),
            "oci:" + src + ":x",
            "docker://" + registry.host() + "/t/preserved:1")
        .assertSuccess();
    assertEquals(manifest, Digest.parse(Files.readString(digestFile).trim()));
    assertEquals(original, served("t/preserved", "1"), "pushed as it is");
  }

  /** An index: each image's manifest rewritten, the index above them too, the platforms kept. */
  @Test
  void anIndexIsRewrittenAboveItsCompressedImages() throws Exception {
    Path src = tmp.resolve("src");
    image(src, "amd64", "amd64");
    image(src, "arm64", "arm64");
    PlatformIndexes.tag(src, "multi", List.of("amd64", "arm64"), List.of("amd64", "arm64"));
    CliRunner.run(
            "copy",
            "--all",
            "--dest-tls-verify=false",
            "oci:" + src + ":multi",
            "docker://" + registry.host() + "/t/multi:1")
        .assertSuccess();
    JsonNode index = served("t/multi", "1");
    assertEquals(MediaTypes.IMAGE_INDEX, index.path("mediaType").asText());
    assertEquals(2, index.path("manifests").size());
    for (int i = 0; i < 2; i++) {
      JsonNode entry = index.path("manifests").path(i);
      assertEquals(
          List.of("amd64", "arm64").get(i), entry.path("platform").path("architecture").asText());
      JsonNode m = served("t/multi", entry.path("digest").asText());
      for (JsonNode layer : m.path("layers")) {
        assertEquals(MediaTypes.LAYER_TAR_GZIP, layer.path("mediaType").asText());
      }
    }
  }
}
