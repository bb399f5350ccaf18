package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.ops.HostPlatform;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.CliRunner.Result;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tag naming an OCI image index: stat, unpack and config choose the manifest for the host's
 * platform or for {@code --platform os/arch[/variant]}, and say clearly when none or several match.
 * (umoci 0.6 refuses indexes outright in these commands; this is our extension.)
 */
class IndexPlatformTest {
  @TempDir Path tmp;
  Path dir;
  String img;
  Map<String, Descriptor> manifests;

  /** Tags {@code amd64}, {@code arm64v8}, {@code s390x}; {@code multi} names an index of all. */
  @BeforeEach
  void index() throws IOException {
    dir = tmp.resolve("img");
    img = dir.toString();
    CliRunner.run("init", "--layout", img).assertSuccess();
    manifests = new java.util.LinkedHashMap<>();
    String[][] platforms = {
      {"amd64", "amd64", ""}, {"arm64v8", "arm64", "v8"}, {"s390x", "s390x", ""}
    };
    for (String[] p : platforms) {
      CliRunner.run("new", "--image", img + ":" + p[0]).assertSuccess();
      CliRunner.run(
              "config",
              "--image",
              img + ":" + p[0],
              "--os",
              "linux",
              "--architecture",
              p[1],
              "--platform.variant",
              p[2],
              "--author",
              p[0])
          .assertSuccess();
    }
    StringBuilder entries = new StringBuilder();
    try (OciLayout layout = OciLayout.open(dir)) {
      for (String[] p : platforms) {
        Descriptor m = References.resolve(layout, p[0]);
        manifests.put(p[0], m);
        if (entries.length() > 0) {
          entries.append(',');
        }
        entries.append(
            "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                + m.digest()
                + "\",\"size\":"
                + m.size()
                + ",\"platform\":{\"architecture\":\""
                + p[1]
                + "\",\"os\":\"linux\""
                + (p[2].isEmpty() ? "" : ",\"variant\":\"" + p[2] + "\"")
                + "}}");
      }
      String index =
          "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
              + "\"manifests\":["
              + entries
              + "]}\n";
      Descriptor d =
          layout.putBytes(MediaTypes.IMAGE_INDEX, index.getBytes(StandardCharsets.UTF_8));
      References.update(layout, "multi", d);
    }
  }

  JsonNode stat(String... extra) throws IOException {
    String[] args = new String[3 + extra.length];
    args[0] = "stat";
    args[1] = "--image";
    args[2] = img + ":multi";
    System.arraycopy(extra, 0, args, 3, extra.length);
    String[] withJson = java.util.Arrays.copyOf(args, args.length + 1);
    withJson[args.length] = "--json";
    Result r = CliRunner.run(withJson).assertSuccess();
    return Json.parse(r.stdout().getBytes(StandardCharsets.UTF_8), JsonNode.class, "stat");
  }

  @Test
  void statChoosesByPlatform() throws IOException {
    assertEquals(
        manifests.get("arm64v8").digest().toString(),
        stat("--platform", "linux/arm64").at("/manifest/descriptor/digest").asText());
    assertEquals(
        manifests.get("arm64v8").digest().toString(),
        stat("--platform", "linux/arm64/v8").at("/manifest/descriptor/digest").asText());
    assertEquals("s390x", stat("--platform", "linux/s390x").at("/config/blob/author").asText());
  }

  @Test
  void withoutPlatformTheHostsIsChosen() throws IOException {
    HostPlatform host = HostPlatform.current();
    String expected =
        switch (host.architecture()) {
          case "amd64" -> "amd64";
          case "arm64" -> "arm64v8";
          case "s390x" -> "s390x";
          default -> null;
        };
    if (expected == null) {
      Result r = CliRunner.run("stat", "--image", img + ":multi");
      assertEquals(1, r.exitCode());
      assertTrue(r.stderr().contains("no manifest for platform linux/"), r.stderr());
      return;
    }
    assertEquals(expected, stat().at("/config/blob/author").asText());
  }

  @Test
  void noMatchOrBadFlagIsOneClearLine() {
    Result r = CliRunner.run("stat", "--image", img + ":multi", "--platform", "linux/riscv64");
    assertEquals(1, r.exitCode());
    assertEquals(
        "umoci: tag \"multi\" names an image index with no manifest for platform linux/riscv64"
            + " (it has linux/amd64, linux/arm64/v8, linux/s390x); choose one with --platform\n",
        r.stderr());
    Result v7 = CliRunner.run("stat", "--image", img + ":multi", "--platform", "linux/arm64/v7");
    assertEquals(1, v7.exitCode(), v7.stderr());
    Result bad = CliRunner.run("stat", "--image", img + ":multi", "--platform", "linux");
    assertEquals(1, bad.exitCode());
    assertEquals(
        "umoci: invalid --platform \"linux\": expected os/arch[/variant], e.g. linux/arm64/v8\n",
        bad.stderr());
  }

  @Test
  void twoManifestsForOnePlatformAreAmbiguous() throws IOException {
    try (OciLayout layout = OciLayout.open(dir)) {
      Descriptor a = manifests.get("amd64");
      Descriptor b = manifests.get("s390x");
      String index =
          "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
              + "\"manifests\":["
              + entry(a)
              + ","
              + entry(b)
              + "]}\n";
      References.update(
          layout,
          "twice",
          layout.putBytes(MediaTypes.IMAGE_INDEX, index.getBytes(StandardCharsets.UTF_8)));
    }
    Result r = CliRunner.run("stat", "--image", img + ":twice", "--platform", "linux/amd64");
    assertEquals(1, r.exitCode());
    assertEquals(
        "umoci: tag \"twice\" is ambiguous: its image index has 2 manifests for platform"
            + " linux/amd64 ("
            + manifests.get("amd64").digest()
            + ", "
            + manifests.get("s390x").digest()
            + ")\n",
        r.stderr());
  }

  private static String entry(Descriptor m) {
    return "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
        + m.digest()
        + "\",\"size\":"
        + m.size()
        + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}";
  }

  @Test
  void unpackAndConfigWorkOnTheChosenManifest() throws IOException {
    Path bundle = tmp.resolve("bundle");
    CliRunner.run(
            "unpack", "--image", img + ":multi", "--platform", "linux/s390x", bundle.toString())
        .assertSuccess();
    JsonNode meta =
        Json.parse(Files.readAllBytes(bundle.resolve("umoci.json")), JsonNode.class, "umoci.json");
    JsonNode walk = meta.at("/from_descriptor_path/descriptor_walk");
    assertEquals(2, walk.size());
    assertEquals(MediaTypes.IMAGE_INDEX, walk.get(0).get("mediaType").asText());
    assertEquals(manifests.get("s390x").digest().toString(), walk.get(1).get("digest").asText());
    JsonNode runtime =
        Json.parse(
            Files.readAllBytes(bundle.resolve("config.json")), JsonNode.class, "config.json");
    assertEquals(
        "s390x", runtime.at("/annotations/org.opencontainers.image.architecture").asText());

    CliRunner.run(
            "config", "--image", img + ":multi", "--platform", "linux/arm64", "--author", "new")
        .assertSuccess();
    assertEquals("new", stat("--platform", "linux/arm64").at("/config/blob/author").asText());
    assertEquals("s390x", stat("--platform", "linux/s390x").at("/config/blob/author").asText());
    assertNotEquals(
        manifests.get("arm64v8").digest().toString(),
        stat("--platform", "linux/arm64").at("/manifest/descriptor/digest").asText());
    LayoutChecks.assertValid(dir);

    // A config change of the platform moves the index entry with it: the index and the config
    // agree.
    CliRunner.run(
            "config",
            "--image",
            img + ":multi",
            "--platform",
            "linux/arm64",
            "--architecture",
            "arm",
            "--platform.variant",
            "v7")
        .assertSuccess();
    assertEquals(
        "arm", stat("--platform", "linux/arm/v7").at("/config/blob/architecture").asText());
    assertEquals("s390x", stat("--platform", "linux/s390x").at("/config/blob/author").asText());
    CliRunner.Result gone =
        CliRunner.run("stat", "--image", img + ":multi", "--platform", "linux/arm64");
    assertEquals(1, gone.exitCode(), "no entry says linux/arm64 any more");
    assertTrue(
        gone.stderr().contains("(it has linux/amd64, linux/arm/v7, linux/s390x)"), gone.stderr());
    LayoutChecks.assertValid(dir);
  }
}
