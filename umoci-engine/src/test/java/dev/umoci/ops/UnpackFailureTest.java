package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.layer.Compression;
import dev.umoci.layer.TarBuilder;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input for {@code unpack} and {@code raw unpack}: one clear line on stderr, exit status 1,
 * nothing left behind in the bundle, the layout unchanged and valid.
 */
class UnpackFailureTest {
  @TempDir Path tmp;

  static byte[] tar() {
    TarBuilder b = new TarBuilder().dir("etc/");
    for (int i = 0; i < 50; i++) {
      b.file("etc/file" + i, "content of file " + i + "\n".repeat(i * 100));
    }
    return b.build();
  }

  /** Runs umoci with {@code args}; checks failure, one line naming {@code expected}. */
  static String fails(String expected, String... args) {
    CliRunner.Result r = CliRunner.run(args);
    assertEquals(1, r.exitCode(), r.stderr());
    String err = r.stderr();
    assertTrue(err.startsWith("umoci: "), err);
    assertEquals(1, err.lines().count(), "one line expected: " + err);
    assertTrue(err.contains(expected), "expected \"" + expected + "\" in: " + err);
    assertEquals("", r.stdout());
    return err;
  }

  private void assertUnchanged(Path layout, Map<String, String> before) {
    assertEquals(before, LayoutChecks.snapshot(layout), "the layout must not change");
    LayoutChecks.assertValid(layout);
  }

  private void assertNoBundle(Path bundle) {
    assertFalse(Files.exists(bundle, LinkOption.NOFOLLOW_LINKS), "left behind: " + bundle);
  }

  @Test
  void bundleWithRootfsOrConfigIsRefused() throws Exception {
    Path layout = tmp.resolve("layout");
    new TestImages().layer(tar(), Compression.GZIP).write(layout, "t");
    Map<String, String> before = LayoutChecks.snapshot(layout);
    for (String existing : new String[] {"rootfs", "config.json"}) {
      Path bundle = Files.createDirectories(tmp.resolve("b-" + existing));
      if (existing.equals("rootfs")) {
        Files.createDirectory(bundle.resolve("rootfs"));
      } else {
        Files.writeString(bundle.resolve("config.json"), "{}");
      }
      Map<String, String> bundleBefore = LayoutChecks.snapshot(bundle);
      // Without umoci.json (written last) the bundle is what a killed unpack leaves: say so.
      fails(
          existing
              + " already exists in bundle "
              + bundle
              + " but umoci.json does not: an earlier unpack did not finish; remove the bundle and"
              + " unpack again",
          "unpack",
          "--image",
          layout + ":t",
          bundle.toString());
      Files.writeString(bundle.resolve("umoci.json"), "{}");
      fails(
          existing + " already exists in bundle " + bundle + ": unpack into a new bundle",
          "unpack",
          "--image",
          layout + ":t",
          bundle.toString());
      Files.delete(bundle.resolve("umoci.json"));
      assertEquals(bundleBefore, LayoutChecks.snapshot(bundle));
    }
    assertUnchanged(layout, before);
  }

  @Test
  void missingTag() throws Exception {
    Path layout = tmp.resolve("layout");
    new TestImages().layer(tar(), Compression.GZIP).write(layout, "t");
    Map<String, String> before = LayoutChecks.snapshot(layout);
    Path bundle = tmp.resolve("bundle");
    fails("nope", "unpack", "--image", layout + ":nope", bundle.toString());
    fails("nope", "raw", "unpack", "--image", layout + ":nope", bundle.toString());
    fails("nope", "raw", "runtime-config", "--image", layout + ":nope", bundle.toString());
    assertNoBundle(bundle);
    assertUnchanged(layout, before);
  }

  @Test
  void corruptLayerBlobIsNamed() throws Exception {
    Path layout = tmp.resolve("layout");
    Descriptor manifest = new TestImages().layer(tar(), Compression.GZIP).write(layout, "t");
    Descriptor layer;
    try (OciLayout l = OciLayout.open(layout)) {
      layer = l.readJson(manifest, Manifest.class).layers().get(0);
    }
    Path blob = layout.resolve("blobs/sha256/" + layer.digest().hex());
    byte[] good = Files.readAllBytes(blob);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 0x55;
    Files.write(blob, bad);
    Path bundle = tmp.resolve("bundle");
    Path rootfs = tmp.resolve("rootfs");
    String err =
        fails(layer.digest().toString(), "unpack", "--image", layout + ":t", bundle.toString());
    assertTrue(err.contains("digest mismatch"), err);
    fails("digest mismatch", "raw", "unpack", "--image", layout + ":t", rootfs.toString());
    assertNoBundle(bundle);
    assertNoBundle(rootfs);
    Files.write(blob, good);
    LayoutChecks.assertValid(layout);
  }

  @Test
  void aCorruptOrMissingLaterLayerReadAheadIsReportedInTurn() throws Exception {
    // The second and third layers are read while the first is still being extracted; their
    // failures must still be reported as the failure of that layer, with nothing left behind.
    for (String damage : new String[] {"corrupt", "missing"}) {
      Path layout = tmp.resolve("layout-" + damage);
      Descriptor manifest =
          new TestImages()
              .layer(tar(), Compression.GZIP)
              .layer(new TarBuilder().file("second", "2").build(), Compression.GZIP)
              .layer(new TarBuilder().file("third", "3").build(), Compression.GZIP)
              .write(layout, "t");
      Descriptor second;
      try (OciLayout l = OciLayout.open(layout)) {
        second = l.readJson(manifest, Manifest.class).layers().get(1);
      }
      Path blob = layout.resolve("blobs/sha256/" + second.digest().hex());
      if (damage.equals("corrupt")) {
        byte[] bad = Files.readAllBytes(blob);
        bad[bad.length - 9] ^= 0x55; // in the gzip trailer: decompression itself may succeed
        Files.write(blob, bad);
      } else {
        Files.delete(blob);
      }
      Path bundle = tmp.resolve("bundle-" + damage);
      fails(second.digest().toString(), "unpack", "--image", layout + ":t", bundle.toString());
      assertNoBundle(bundle);
    }
  }

  @Test
  void diffIdMismatchRemovesWhatWasWritten() throws Exception {
    Path layout = tmp.resolve("layout");
    Digest wrong = Digest.sha256("something else".getBytes());
    new TestImages()
        .layer(new TarBuilder().file("ok", "ok").build(), Compression.ZSTD)
        .layer(tar(), Compression.GZIP)
        .diffId(wrong)
        .write(layout, "t");
    Map<String, String> before = LayoutChecks.snapshot(layout);
    Path bundle = tmp.resolve("parent/bundle");
    fails("diffid mismatch", "unpack", "--image", layout + ":t", bundle.toString());
    assertNoBundle(tmp.resolve("parent"));
    // An existing bundle directory stays, emptied of what unpack wrote.
    Path existing = Files.createDirectory(tmp.resolve("existing"));
    Files.writeString(existing.resolve("notes.txt"), "mine");
    String err = fails(wrong.toString(), "unpack", "--image", layout + ":t", existing.toString());
    assertTrue(err.contains("diffid mismatch"), err);
    assertEquals(
        Map.of("", "dir", "notes.txt", LayoutChecks.sha256Hex(existing.resolve("notes.txt"))),
        Map.copyOf(LayoutChecks.snapshot(existing)).entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    e -> e.getKey().replace("/", ""), Map.Entry::getValue)));
    Path rootfs = tmp.resolve("rootfs");
    fails("diffid mismatch", "raw", "unpack", "--image", layout + ":t", rootfs.toString());
    assertNoBundle(rootfs);
    assertUnchanged(layout, before);
  }

  @Test
  void rootfsTypeOtherThanLayers() throws Exception {
    Path layout = tmp.resolve("layout");
    new TestImages().layer(tar(), Compression.GZIP).rootfsType("snapshot").write(layout, "t");
    Map<String, String> before = LayoutChecks.snapshot(layout);
    Path bundle = tmp.resolve("bundle");
    fails(
        "unsupported rootfs.type: \"snapshot\"",
        "unpack",
        "--image",
        layout + ":t",
        bundle.toString());
    fails("unsupported rootfs.type", "raw", "unpack", "--image", layout + ":t", bundle.toString());
    assertNoBundle(bundle);
    assertUnchanged(layout, before);
  }

  @Test
  void badIdMaps() throws Exception {
    Path layout = tmp.resolve("layout");
    new TestImages().layer(tar(), Compression.GZIP).write(layout, "t");
    Map<String, String> before = LayoutChecks.snapshot(layout);
    Path bundle = tmp.resolve("bundle");
    fails(
        "invalid --uid-map \"0:abc\"",
        "unpack",
        "--uid-map",
        "0:abc",
        "--image",
        layout + ":t",
        bundle.toString());
    fails(
        "--gid-map",
        "unpack",
        "--gid-map",
        "0:1:99999999999",
        "--image",
        layout + ":t",
        bundle.toString());
    fails(
        "--uid-map",
        "raw",
        "unpack",
        "--uid-map",
        "1",
        "--image",
        layout + ":t",
        bundle.toString());
    fails(
        "--uid-map",
        "raw",
        "config",
        "--uid-map",
        "x:1",
        "--image",
        layout + ":t",
        bundle.toString());
    // A map that leaves container root unmapped fails before anything is written.
    fails(
        "not covered",
        "unpack",
        "--uid-map",
        "1:1000:10",
        "--image",
        layout + ":t",
        bundle.toString());
    assertNoBundle(bundle);
    assertUnchanged(layout, before);
  }

  @Test
  void emptyBundlePath() throws Exception {
    Path layout = tmp.resolve("layout");
    new TestImages().layer(tar(), Compression.GZIP).write(layout, "t");
    fails("bundle path cannot be empty", "unpack", "--image", layout + ":t", "");
    fails("rootfs path cannot be empty", "raw", "unpack", "--image", layout + ":t", "");
    LayoutChecks.assertValid(layout);
  }
}
