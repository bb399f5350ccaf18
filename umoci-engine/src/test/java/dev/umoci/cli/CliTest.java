package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.layer.TarBuilder;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.CliRunner.Result;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path tmp;
  Path layout;
  String img;

  @BeforeEach
  void setUp() {
    layout = tmp.resolve("layout");
    img = layout.toString();
    CliRunner.run("init", "--layout", img).assertSuccess();
    CliRunner.run("new", "--image", img + ":base").assertSuccess();
  }

  JsonNode statJson(String tag) throws IOException {
    Result r = CliRunner.run("stat", "--image", img + ":" + tag, "--json").assertSuccess();
    return Json.parse(r.stdout().getBytes(StandardCharsets.UTF_8), JsonNode.class, "stat");
  }

  @Test
  void configValuesMayStartWithADash() throws IOException {
    CliRunner.run(
            "config",
            "--image",
            img + ":base",
            "--config.cmd",
            "-c",
            "--config.cmd",
            "--help",
            "--config.entrypoint=-x",
            "--history.comment",
            "-dash-")
        .assertSuccess();
    JsonNode config = statJson("base").at("/config/blob/config");
    assertEquals("[\"-c\",\"--help\"]", config.get("Cmd").toString());
    assertEquals("[\"-x\"]", config.get("Entrypoint").toString());
    LayoutChecks.assertValid(layout);
    LayoutChecks.assertNoTempDirs(layout);
  }

  @Test
  void sourceDateEpochFromTheEnvironment() throws IOException {
    CliRunner.runWithEnv(Map.of("SOURCE_DATE_EPOCH", "86400"), "new", "--image", img + ":sde")
        .assertSuccess();
    assertEquals("1970-01-02T00:00:00Z", statJson("sde").at("/config/blob/created").asText());
    CliRunner.runWithEnv(
            Map.of("SOURCE_DATE_EPOCH", "86400"),
            "config",
            "--image",
            img + ":sde",
            "--author",
            "a")
        .assertSuccess();
    assertEquals("1970-01-02T00:00:00Z", statJson("sde").at("/history/0/created").asText());
    Result bad =
        CliRunner.runWithEnv(Map.of("SOURCE_DATE_EPOCH", "soon"), "new", "--image", img + ":x");
    assertEquals(1, bad.exitCode());
    assertTrue(bad.stderr().startsWith("umoci: parse SOURCE_DATE_EPOCH"), bad.stderr());
  }

  @Test
  void tagListRemoveAndGc() throws IOException {
    CliRunner.run("tag", "--image", img + ":base", "second").assertSuccess();
    CliRunner.run("config", "--image", img + ":base", "--author", "x").assertSuccess();
    assertEquals("second\nbase\n", CliRunner.run("ls", "--layout", img).assertSuccess().stdout());
    CliRunner.run("rm", "--image", img + ":second").assertSuccess();
    assertEquals("base\n", CliRunner.run("list", "--layout", img).assertSuccess().stdout());

    Path blobs = layout.resolve("blobs/sha256");
    List<String> before = names(blobs);
    Result gc = CliRunner.run("gc", "--layout", img).assertSuccess();
    List<String> after = names(blobs);
    // the original image (manifest + config) is unreachable now; the config change's blobs stay.
    assertEquals(before.size() - 2, after.size(), gc.stderr());
    JsonNode stat = statJson("base");
    assertTrue(after.contains(stat.at("/manifest/descriptor/digest").asText().substring(7)));
    assertTrue(after.contains(stat.at("/config/descriptor/digest").asText().substring(7)));
    LayoutChecks.assertValid(layout);
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void rawAddLayerWithCompressionFlag() throws IOException {
    Path tar = new TarBuilder().file("a.txt", "a").mode(0644).writeTo(tmp.resolve("a.tar"));
    CliRunner.run(
            "raw",
            "add-layer",
            "--image",
            img + ":base",
            "--compress",
            "zstd",
            "--tag",
            "z",
            tar.toString())
        .assertSuccess();
    JsonNode stat = statJson("z");
    assertEquals(MediaTypes.LAYER_TAR_ZSTD, stat.at("/manifest/blob/layers/0/mediaType").asText());
    assertEquals("umoci raw add-layer", stat.at("/history/0/created_by").asText());
    Result bad =
        CliRunner.run(
            "raw", "add-layer", "--image", img + ":base", "--compress", "lz4", tar.toString());
    assertEquals(1, bad.exitCode());
    assertEquals(
        "umoci: invalid --compress: unknown layer compression type \"lz4\"\n", bad.stderr());
    LayoutChecks.assertValid(layout);
  }

  @Test
  void helpAndVersion() {
    Result help = CliRunner.run("config", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.stdout().contains("--config.cmd"), help.stdout());
    assertTrue(help.stdout().contains("--platform.arch"), help.stdout());
    Result version = CliRunner.run("-v");
    assertEquals(0, version.exitCode());
    assertTrue(version.stdout().startsWith("umoci version "), version.stdout());
    Result both = CliRunner.run("--log=info", "--verbose", "ls", "--layout", img);
    assertEquals(1, both.exitCode());
    assertEquals("umoci: --log=* and --verbose are mutually exclusive\n", both.stderr());
  }

  // ------------------------------------------------------------------ bad input

  /** Runs a failing command and checks: one line on stderr, exit 1, layout byte-for-byte equal. */
  void assertFailsCleanly(String expectedStart, String... args) {
    Map<String, String> before = LayoutChecks.snapshot(tmp);
    Result r = CliRunner.run(args);
    assertNotEquals(0, r.exitCode(), "expected failure: " + String.join(" ", args));
    assertTrue(r.stderr().startsWith("umoci: " + expectedStart), r.stderr());
    assertEquals(1, r.stderr().lines().count(), "one line expected: " + r.stderr());
    assertEquals("", r.stdout());
    assertEquals(before, LayoutChecks.snapshot(tmp), "layout changed by a failed command");
  }

  @Test
  void badInputFailsWithOneLineAndChangesNothing() throws IOException {
    assertFailsCleanly(
        tmp.resolve("missing") + ": not an OCI image layout: no such directory",
        "stat",
        "--image",
        tmp.resolve("missing") + ":base");
    Files.createDirectory(tmp.resolve("plain"));
    assertFailsCleanly(
        tmp.resolve("plain") + ": not an OCI image layout: missing oci-layout",
        "ls",
        "--layout",
        tmp.resolve("plain").toString());
    assertFailsCleanly(
        "tag \"nope\" not found in layout " + img,
        "config",
        "--image",
        img + ":nope",
        "--author",
        "x");
    assertFailsCleanly("tag \"nope\" not found", "tag", "--image", img + ":nope", "other");
    assertFailsCleanly(
        "invalid --image: tag contains invalid characters: \"bad tag\"",
        "stat",
        "--image",
        img + ":bad tag");
    assertFailsCleanly(
        "invalid tag: tag contains invalid characters",
        "tag",
        "--image",
        img + ":base",
        "bad..tag");
    assertFailsCleanly(
        "--no-history and --history.author may not be specified together",
        "config",
        "--image",
        img + ":base",
        "--no-history",
        "--history.author",
        "me");
    assertFailsCleanly("invalid --layout: path contains ':'", "gc", "--layout", img + ":x");
    assertFailsCleanly(
        "invalid number of positional arguments: expected none",
        "stat",
        "--image",
        img + ":base",
        "extra");
    assertFailsCleanly("missing mandatory argument: --image", "stat");
    assertFailsCleanly(
        "invalid number of positional arguments: expected <bundle>",
        "unpack",
        "--image",
        img + ":base");
  }

  @Test
  void ambiguousTagsAndMalformedIndexAreReported() throws IOException {
    byte[] index = Files.readAllBytes(layout.resolve("index.json"));
    JsonNode node = Json.parse(index, JsonNode.class, "index");
    var manifests = (com.fasterxml.jackson.databind.node.ArrayNode) node.get("manifests");
    manifests.add(manifests.get(0).deepCopy());
    Files.write(layout.resolve("index.json"), Json.toBytes(node));
    assertFailsCleanly("tag \"base\" is ambiguous", "stat", "--image", img + ":base");
    assertFailsCleanly(
        "tag \"base\" is ambiguous", "config", "--image", img + ":base", "--author", "x");

    Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[");
    assertFailsCleanly(layout.resolve("index.json") + ": malformed JSON", "ls", "--layout", img);
    assertFailsCleanly(
        layout.resolve("index.json") + ": malformed JSON", "tag", "--image", img + ":base", "t2");
  }

  @Test
  void corruptedBlobIsNamed() throws IOException {
    JsonNode stat = statJson("base");
    String config = stat.at("/config/descriptor/digest").asText();
    Path blob = layout.resolve("blobs/sha256").resolve(config.substring(7));
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length - 2] ^= 1;
    Files.write(blob, bytes);
    assertFailsCleanly(
        "verified reader digest mismatch: blob " + config, "stat", "--image", img + ":base");
    assertFailsCleanly(
        "verified reader digest mismatch: blob " + config,
        "config",
        "--image",
        img + ":base",
        "--author",
        "x");
  }

  @Test
  void twoProcessesTaggingConcurrentlyLoseNothing() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    List<Process> processes = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      List<String> cmd =
          new ArrayList<>(
              List.of(java, "-cp", cp, ConcurrentTagger.class.getName(), img, "p" + p, "20"));
      processes.add(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }
    for (Process p : processes) {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), output);
    }
    List<String> tags =
        CliRunner.run("ls", "--layout", img).assertSuccess().stdout().lines().sorted().toList();
    assertEquals(41, tags.size(), tags.toString());
    LayoutChecks.assertValid(layout);
    LayoutChecks.assertNoTempDirs(layout);
    assertFalse(ExternalTool.available("/nonexistent"));
    try (OciLayout l = OciLayout.open(layout)) {
      assertEquals(41, l.readIndex().manifests().size());
    }
  }

  /** Child process body: tags the base image N times through the CLI. */
  public static final class ConcurrentTagger {
    public static void main(String[] args) {
      for (int i = 0; i < Integer.parseInt(args[2]); i++) {
        int code =
            Main.run(
                new String[] {"tag", "--image", args[0] + ":base", args[1] + "-" + i},
                System.out,
                System.err);
        if (code != 0) {
          System.exit(code);
        }
      }
      System.exit(0);
    }
  }
}
