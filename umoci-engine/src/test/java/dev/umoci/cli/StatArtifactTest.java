package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.CliRunner.Result;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image-spec 1.1 content in {@code stat} as umoci 0.6 shows it (utils.go {@code pprintDescriptor},
 * {@code pprintBytes}, {@code xxd}; {@code Stat} leaves {@code Config} and {@code History} unset
 * when the config blob is not an image config), and the commands that need an image config refusing
 * artifacts.
 */
class StatArtifactTest {
  static final String EMPTY_DIGEST =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
  static final byte[] PAYLOAD =
      "hello \u00e9\u0001 embedded data, and more!!\u0000".getBytes(StandardCharsets.ISO_8859_1);

  @TempDir Path tmp;
  Path dir;
  String manifestJson;
  Descriptor manifest;

  @BeforeEach
  void artifact() throws IOException {
    dir = tmp.resolve("img");
    String payload = Base64.getEncoder().encodeToString(PAYLOAD);
    manifestJson =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"artifactType\":\"application/vnd.example.sbom\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\""
            + EMPTY_DIGEST
            + "\",\"size\":2,\"data\":\"e30=\"},"
            + "\"layers\":[{\"mediaType\":\"text/plain\",\"digest\":\""
            + Digest.sha256(PAYLOAD)
            + "\",\"size\":"
            + PAYLOAD.length
            + ",\"data\":\""
            + payload
            + "\"}]}\n";
    try (OciLayout layout = OciLayout.create(dir)) {
      layout.putBytes(MediaTypes.EMPTY_JSON, "{}".getBytes(StandardCharsets.UTF_8));
      layout.putBytes("text/plain", PAYLOAD);
      manifest =
          layout.putBytes(MediaTypes.IMAGE_MANIFEST, manifestJson.getBytes(StandardCharsets.UTF_8));
      References.update(layout, "sbom", manifest);
    }
  }

  @Test
  void humanStatShowsDataAsHexAndNoConfigSection() {
    Result r = CliRunner.run("stat", "--image", dir + ":sbom").assertSuccess();
    String expected =
        "== MANIFEST ==\n"
            + "Schema Version: 2\n"
            + "Media Type: application/vnd.oci.image.manifest.v1+json\n"
            + "Artifact Type: application/vnd.example.sbom\n"
            + "Config:\n"
            + "\tDescriptor:\n"
            + "\t\tMedia Type: application/vnd.oci.empty.v1+json\n"
            + "\t\tDigest: "
            + EMPTY_DIGEST
            + "\n"
            + "\t\tSize: 2B\n"
            + "\t\tData: (2 bytes)\n"
            + "\t\t\t0000: 7b7d                                     {}\n"
            + "Layers:\n"
            + "\tDescriptor:\n"
            + "\t\tMedia Type: text/plain\n"
            + "\t\tDigest: "
            + Digest.sha256(PAYLOAD)
            + "\n"
            + "\t\tSize: 35B\n"
            + "\t\tData: (35 bytes)\n"
            + "\t\t\t0000: 6865 6c6c 6f20 e901 2065 6d62 6564 6465  hello \u00e9. embedde\n"
            + "\t\t\t0010: 6420 6461 7461 2c20 616e 6420 6d6f 7265  d data, and more\n"
            + "\t\t\t0020: 2121 00                                  !!.\n"
            + "Descriptor:\n"
            + "\tMedia Type: application/vnd.oci.image.manifest.v1+json\n"
            + "\tDigest: "
            + manifest.digest()
            + "\n"
            + "\tSize: "
            + manifest.size()
            + "B\n"
            + "\tAnnotations:\n"
            + "\t\torg.opencontainers.image.ref.name: sbom\n";
    assertEquals(expected, r.stdout());
  }

  @Test
  void jsonStatHasOnlyTheManifest() {
    Result r = CliRunner.run("stat", "--image", dir + ":sbom", "--json").assertSuccess();
    assertEquals(
        "{\"manifest\":{\"descriptor\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"digest\":\""
            + manifest.digest()
            + "\",\"size\":"
            + manifest.size()
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"sbom\"}},\"blob\":"
            + manifestJson.strip()
            + "}}\n",
        r.stdout());
  }

  @Test
  void commandsThatNeedAnImageConfigRefuseTheArtifact() {
    Map<String, String[]> commands =
        Map.of(
            "unpack", new String[] {"unpack", "--image", dir + ":sbom", tmp + "/bundle"},
            "config", new String[] {"config", "--image", dir + ":sbom", "--author", "x"},
            "raw unpack", new String[] {"raw", "unpack", "--image", dir + ":sbom", tmp + "/rootfs"},
            "insert", new String[] {"insert", "--image", dir + ":sbom", tmp.toString(), "/x"});
    Map<String, String> before = LayoutChecks.snapshot(dir);
    for (var command : commands.entrySet()) {
      Result r = CliRunner.run(command.getValue());
      assertEquals(1, r.exitCode(), command.getKey() + ": " + r.stderr());
      assertEquals(
          "umoci: manifest "
              + manifest.digest()
              + " is an artifact, not an image: its config has media type"
              + " application/vnd.oci.empty.v1+json, not application/vnd.oci.image.config.v1+json\n",
          r.stderr(),
          command.getKey());
      assertEquals(before, LayoutChecks.snapshot(dir), command.getKey());
    }
  }

  @Test
  void repackOfABundlePointedAtTheArtifactIsRefused() throws IOException {
    CliRunner.run("new", "--image", dir + ":img").assertSuccess();
    Path bundle = tmp.resolve("bundle");
    CliRunner.run("unpack", "--image", dir + ":img", bundle.toString()).assertSuccess();
    // point the bundle's source at the artifact, as if it had been unpacked from it
    String meta = Files.readString(bundle.resolve("umoci.json"));
    String from =
        meta.replaceAll(
            "(?s).*\"descriptor_walk\":\\[\\{\"mediaType\":\"[^\"]*\",\"digest\":\"(sha256:[0-9a-f]{64})\".*",
            "$1");
    Files.writeString(
        bundle.resolve("umoci.json"),
        meta.replace(from, manifest.digest().toString())
            .replaceFirst("\"size\":[0-9]+", "\"size\":" + manifest.size()));
    Files.move(
        bundle.resolve("sha256_" + from.substring(7) + ".mtree"),
        bundle.resolve("sha256_" + manifest.digest().hex() + ".mtree"));
    Map<String, String> before = LayoutChecks.snapshot(dir);
    Result r = CliRunner.run("repack", "--image", dir + ":new", bundle.toString());
    assertEquals(1, r.exitCode(), r.stderr());
    assertEquals(
        "umoci: manifest "
            + manifest.digest()
            + " is an artifact, not an image: its config has media type"
            + " application/vnd.oci.empty.v1+json, not application/vnd.oci.image.config.v1+json\n",
        r.stderr());
    assertEquals(before, LayoutChecks.snapshot(dir));
  }
}
