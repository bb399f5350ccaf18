package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.oci.spec.Digest;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs byte for byte as umoci 0.6 writes them for the same flags, so digests are equal. The
 * expected bytes are derived from umoci 0.6's source: {@code PutBlobJSON} is {@code
 * json.NewEncoder(buf).Encode(v)} (compact, {@code <>&} escaped, a trailing newline); {@code
 * config} parses {@code --created} and {@code --history.created} with {@code time.Parse} and stores
 * the {@code time.Time}, which marshals in the offset it was given; an explicit {@code
 * --history.created} wins over {@code SOURCE_DATE_EPOCH}. Debian's umoci 0.4.7 writes the same
 * config blob for these flags, which {@link #sameConfigBlobAsDebianUmoci} checks.
 */
class UmociDigestGoldenTest {
  static final Map<String, String> SDE = Map.of("SOURCE_DATE_EPOCH", "1480000000");

  static final List<String> CONFIG_FLAGS =
      List.of(
          "--created",
          "2016-12-09T04:45:40+11:00",
          "--history.created",
          "2016-03-25T12:34:02.6550020+11:00",
          "--author",
          "Aleksa <a@b>",
          "--architecture",
          "amd64",
          "--os",
          "linux");

  static final String EXPECTED_CONFIG =
      "{\"created\":\"2016-12-09T04:45:40+11:00\",\"author\":\"Aleksa \\u003ca@b\\u003e\","
          + "\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
          + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
          + "\"history\":[{\"created\":\"2016-03-25T12:34:02.655002+11:00\","
          + "\"created_by\":\"umoci config\",\"author\":\"Aleksa \\u003ca@b\\u003e\","
          + "\"empty_layer\":true}]}\n";

  @TempDir Path tmp;

  @Test
  void configWithOffsetsAndSourceDateEpochHasUmociSixDigests() throws IOException {
    String img = tmp.resolve("img").toString();
    CliRunner.runWithEnv(SDE, "init", "--layout", img).assertSuccess();
    CliRunner.runWithEnv(SDE, "new", "--image", img + ":t").assertSuccess();
    List<String> args = new ArrayList<>(List.of("config", "--image", img + ":t"));
    args.addAll(CONFIG_FLAGS);
    args.addAll(List.of("--platform.variant", ""));
    CliRunner.runWithEnv(SDE, args.toArray(String[]::new)).assertSuccess();

    byte[] config = EXPECTED_CONFIG.getBytes(StandardCharsets.UTF_8);
    String expectedManifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
            + "\"digest\":\""
            + Digest.sha256(config)
            + "\",\"size\":"
            + config.length
            + "},\"layers\":[]}\n";
    byte[] manifest = expectedManifest.getBytes(StandardCharsets.UTF_8);
    Path blobs = tmp.resolve("img/blobs/sha256");
    assertEquals(EXPECTED_CONFIG, Files.readString(blobs.resolve(Digest.sha256(config).hex())));
    assertEquals(expectedManifest, Files.readString(blobs.resolve(Digest.sha256(manifest).hex())));
    assertEquals(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"digest\":\""
            + Digest.sha256(manifest)
            + "\",\"size\":"
            + manifest.length
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"t\"}}]}\n",
        Files.readString(tmp.resolve("img/index.json")));
    // stat --json is json.NewEncoder(os.Stdout).Encode too: escaped the same way
    String stat = CliRunner.run("stat", "--image", img + ":t", "--json").assertSuccess().stdout();
    assertTrue(stat.contains("\"author\":\"Aleksa \\u003ca@b\\u003e\""), stat);
    assertTrue(stat.endsWith("}\n") && !stat.endsWith("\n\n"), stat);
    // pinned, so that a change in Digest itself cannot hide a change in the bytes
    assertEquals(
        "sha256:27c875a9860ac2ae79685e98d7ee819824ea809a2891c3a9f9fe0199550e1b96",
        Digest.sha256(config).toString());
  }

  @Test
  void newUnderSourceDateEpochHasUmociSixBytes() throws IOException {
    String img = tmp.resolve("img").toString();
    CliRunner.runWithEnv(SDE, "init", "--layout", img).assertSuccess();
    CliRunner.runWithEnv(SDE, "new", "--image", img + ":t").assertSuccess();
    String stat = CliRunner.run("stat", "--image", img + ":t", "--json").assertSuccess().stdout();
    String arch = stat.replaceAll("(?s).*\"architecture\":\"([^\"]*)\".*", "$1");
    String variant =
        stat.contains("\"variant\":\"")
            ? ",\"variant\":\"" + stat.replaceAll("(?s).*\"variant\":\"([^\"]*)\".*", "$1") + "\""
            : "";
    String expected =
        "{\"created\":\"2016-11-24T15:06:40Z\",\"architecture\":\""
            + arch
            + "\",\"os\":\"linux\""
            + variant
            + ",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}\n";
    byte[] config = expected.getBytes(StandardCharsets.UTF_8);
    assertEquals(
        expected,
        Files.readString(tmp.resolve("img/blobs/sha256").resolve(Digest.sha256(config).hex())));
  }

  @Test
  void sameConfigBlobAsDebianUmoci() throws Exception {
    Interop.requireTool("/usr/bin/umoci");
    String theirs = tmp.resolve("theirs").toString();
    ExternalTool.run("/usr/bin/umoci", "init", "--layout", theirs).assertSuccess();
    ExternalTool.run("/usr/bin/umoci", "new", "--image", theirs + ":t").assertSuccess();
    List<String> command = new ArrayList<>(List.of("/usr/bin/umoci", "config", "--image"));
    command.add(theirs + ":t");
    command.addAll(CONFIG_FLAGS);
    ExternalTool.run(command).assertSuccess();
    byte[] config = EXPECTED_CONFIG.getBytes(StandardCharsets.UTF_8);
    Path blob = tmp.resolve("theirs/blobs/sha256").resolve(Digest.sha256(config).hex());
    assertEquals(EXPECTED_CONFIG, Files.readString(blob));
  }
}
