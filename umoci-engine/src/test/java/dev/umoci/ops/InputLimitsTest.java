package dev.umoci.ops;

import static dev.umoci.ops.UnpackFailureTest.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.umoci.layer.TarBuilder;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.oci.spec.Json;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The input limits through the CLI (issue 12 §4): a gzip bomb stops with an error naming the flag
 * and leaves no bundle; JSON blobs over the size cap are refused from their descriptor, unread; the
 * flags and system properties change the limits.
 */
class InputLimitsTest {
  @TempDir Path tmp;
  Path layout;

  @BeforeEach
  void image() throws Exception {
    layout = tmp.resolve("img");
    CliRunner.run("init", "--layout", layout.toString()).assertSuccess();
    CliRunner.run("new", "--image", layout + ":empty").assertSuccess();
    // 16 MiB of zeros: a 16 KiB gzip blob.
    Path tar = tmp.resolve("bomb.tar");
    Files.write(tar, new TarBuilder().dir("d/").file("d/zeros", new byte[16 << 20]).build());
    CliRunner.run("raw", "add-layer", "--image", layout + ":empty", "--tag", "bomb", tar.toString())
        .assertSuccess();
  }

  @AfterEach
  void clearProperties() {
    System.clearProperty(InputLimits.JSON);
    System.clearProperty(InputLimits.LAYER_SIZE);
  }

  @Test
  void gzipBombStopsAtTheLayerSizeLimitAndLeavesNoBundle() throws Exception {
    Map<String, String> before = LayoutChecks.snapshot(layout);
    Path bundle = tmp.resolve("bundle");
    fails(
        "--max-layer-size",
        "unpack",
        "--max-layer-size",
        "1M",
        "--image",
        layout + ":bomb",
        bundle.toString());
    assertFalse(Files.exists(bundle, LinkOption.NOFOLLOW_LINKS), "left behind: " + bundle);
    Path rootfs = tmp.resolve("rootfs");
    fails(
        InputLimits.LAYER_SIZE,
        "raw",
        "unpack",
        "--max-layer-size",
        "1M",
        "--image",
        layout + ":bomb",
        rootfs.toString());
    assertFalse(Files.exists(rootfs, LinkOption.NOFOLLOW_LINKS), "left behind: " + rootfs);
    assertEquals(before, LayoutChecks.snapshot(layout));
    // Above the limit, the same image unpacks.
    CliRunner.run(
            "unpack", "--max-layer-size", "17M", "--image", layout + ":bomb", bundle.toString())
        .assertSuccess();
  }

  @Test
  void systemPropertySetsTheLayerSizeLimitAndTheFlagWins() throws Exception {
    System.setProperty(InputLimits.LAYER_SIZE, "1M");
    Path bundle = tmp.resolve("bundle");
    fails(InputLimits.LAYER_SIZE, "unpack", "--image", layout + ":bomb", bundle.toString());
    assertFalse(Files.exists(bundle, LinkOption.NOFOLLOW_LINKS));
    CliRunner.run(
            "unpack", "--max-layer-size", "1G", "--image", layout + ":bomb", bundle.toString())
        .assertSuccess();
  }

  @Test
  void entryCountFlag() {
    Path bundle = tmp.resolve("bundle");
    fails(
        "--max-layer-entries",
        "unpack",
        "--max-layer-entries",
        "1",
        "--image",
        layout + ":bomb",
        bundle.toString());
    assertFalse(Files.exists(bundle, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void badLimitValuesAreOneLineErrors() {
    fails(
        "--max-layer-size",
        "unpack",
        "--max-layer-size",
        "big",
        "--image",
        layout + ":bomb",
        tmp.resolve("b").toString());
    System.setProperty(InputLimits.LAYER_SIZE, "-5");
    fails(
        InputLimits.LAYER_SIZE, "unpack", "--image", layout + ":bomb", tmp.resolve("b").toString());
  }

  @Test
  void jsonBlobOverTheCapIsRefusedFromItsDescriptorUnread() throws Exception {
    // The index claims a 5 MiB manifest: refused by size alone (the blob is not even opened, or
    // its wrong size would be the error).
    Path index = layout.resolve("index.json");
    ObjectNode tree = (ObjectNode) Json.mapper().readTree(index.toFile());
    for (var m : tree.withArray("manifests")) {
      ((ObjectNode) m).put("size", 5 << 20);
    }
    Files.write(index, Json.mapper().writeValueAsBytes(tree));
    String err = fails(InputLimits.JSON, "stat", "--image", layout + ":bomb");
    assertFalse(err.contains("mismatch"), err);
    // Raised above the claimed size, the blob is read and its real size does not match.
    System.setProperty(InputLimits.JSON, "8M");
    CliRunner.Result r = CliRunner.run("stat", "--image", layout + ":bomb");
    assertEquals(1, r.exitCode());
    assertFalse(r.stderr().contains(InputLimits.JSON), r.stderr());
  }

  @Test
  void oversizedIndexJsonIsRefused() throws Exception {
    Path index = layout.resolve("index.json");
    byte[] json = Files.readAllBytes(index);
    byte[] padded = new byte[json.length + (5 << 20)];
    System.arraycopy(json, 0, padded, 0, json.length);
    java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
    Files.write(index, padded);
    fails(InputLimits.JSON, "ls", "--layout", layout.toString());
    System.setProperty(InputLimits.JSON, "6M");
    assertEquals(0, CliRunner.run("ls", "--layout", layout.toString()).exitCode());
  }
}
