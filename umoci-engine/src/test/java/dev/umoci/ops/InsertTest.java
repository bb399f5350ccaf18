package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.fs.IdMapping;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.layer.TreeLayerWriter;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.mutate.ImageMutator;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.History;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code umoci insert} through the CLI, checked with Debian's umoci 0.4.7 where installed. */
class InsertTest {
  @TempDir Path tmp;
  Path layout;
  Path src;

  @BeforeEach
  void setUp() throws IOException {
    layout = tmp.resolve("img");
    CliRunner.run("init", "--layout", layout.toString()).assertSuccess();
    CliRunner.run("new", "--image", layout + ":base").assertSuccess();
    src = tmp.resolve("src");
    Files.createDirectories(src.resolve("bin"));
    Files.writeString(src.resolve("bin/tool"), "#!/bin/sh\necho tool\n");
    Files.writeString(src.resolve("readme"), "first\n");
    Files.writeString(tmp.resolve("motd"), "hello motd\n");
  }

  Image config(String tag) throws IOException {
    return StatImage.run(new StatImage.Options(new ImageRef(layout, tag))).image();
  }

  void insert(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "insert";
    System.arraycopy(args, 0, all, 1, args.length);
    CliRunner.run(all).assertSuccess();
    LayoutChecks.assertValid(layout);
    LayoutChecks.assertNoTempDirs(layout);
  }

  @Test
  void fileDirectoryOpaqueAndWhiteoutLayers() throws Exception {
    insert("--image", layout + ":base", "--tag", "t1", src.toString(), "/opt/app");
    insert("--image", layout + ":t1", "--tag", "t2", tmp.resolve("motd").toString(), "/etc/motd");
    Path src2 = tmp.resolve("src2");
    Files.createDirectories(src2);
    Files.writeString(src2.resolve("only"), "only me\n");
    insert("--image", layout + ":t2", "--tag", "t3", "--opaque", src2.toString(), "/opt/app");
    insert("--image", layout + ":t3", "--tag", "t4", "--whiteout", "/etc/motd");

    assertEquals(0, config("base").rootfs().diffIds().size());
    assertEquals(4, config("t4").rootfs().diffIds().size());
    List<History> history = config("t4").history();
    assertEquals(4, history.size());
    for (History h : history) {
      assertEquals("umoci insert", h.createdBy());
      assertNull(h.author(), "insert sets no default author");
      assertNotEquals(Boolean.TRUE, h.emptyLayer());
    }

    Interop.requireTool("/usr/bin/umoci");
    Path b2 = unpackWithGo("t2");
    assertEquals("#!/bin/sh\necho tool\n", Files.readString(b2.resolve("rootfs/opt/app/bin/tool")));
    assertEquals("hello motd\n", Files.readString(b2.resolve("rootfs/etc/motd")));
    Path b3 = unpackWithGo("t3");
    assertEquals("only me\n", Files.readString(b3.resolve("rootfs/opt/app/only")));
    assertFalse(Files.exists(b3.resolve("rootfs/opt/app/readme")), "opaque hid the old tree");
    assertTrue(Files.exists(b3.resolve("rootfs/etc/motd")));
    Path b4 = unpackWithGo("t4");
    assertFalse(Files.exists(b4.resolve("rootfs/etc/motd")), "whiteout removed the file");
    assertTrue(Files.exists(b4.resolve("rootfs/opt/app/only")));
  }

  @Test
  void withoutTagTheImageTagMovesAndHistoryFlagsApply() throws Exception {
    String before = GoTag.digest(layout, "base");
    CliRunner.run(
            "insert",
            "--image",
            layout + ":base",
            "--history.author",
            "me",
            "--history.comment",
            "c",
            tmp.resolve("motd").toString(),
            "/motd")
        .assertSuccess();
    assertNotEquals(before, GoTag.digest(layout, "base"));
    History h = config("base").history().get(0);
    assertEquals("me", h.author());
    assertEquals("c", h.comment());
    LayoutChecks.assertValid(layout);
  }

  @Test
  void sameInputGivesTheSameLayerAndSourceDateEpochClamps() throws Exception {
    Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1000");
    CliRunner.runWithEnv(
            env, "insert", "--image", layout + ":base", "--tag", "a", src.toString(), "/x")
        .assertSuccess();
    CliRunner.runWithEnv(
            env, "insert", "--image", layout + ":base", "--tag", "b", src.toString(), "/x")
        .assertSuccess();
    assertEquals(GoTag.digest(layout, "a"), GoTag.digest(layout, "b"), "whole image identical");
    assertEquals("1970-01-01T00:16:40Z", config("a").history().get(0).created());
    LayoutChecks.assertValid(layout);
  }

  @Test
  void badInputLeavesTheLayoutUnchanged() throws IOException {
    Map<String, String> snapshot = LayoutChecks.snapshot(layout);
    CliRunner.Result missing =
        CliRunner.run("insert", "--image", layout + ":base", tmp.resolve("nope").toString(), "/x");
    assertEquals(1, missing.exitCode());
    assertTrue(missing.stderr().contains("source does not exist"), missing.stderr());
    Files.writeString(src.resolve(".wh.evil"), "x");
    CliRunner.Result whiteoutName =
        CliRunner.run("insert", "--image", layout + ":base", src.toString(), "/x");
    assertEquals(1, whiteoutName.exitCode());
    assertTrue(
        whiteoutName.stderr().contains("invalid path has whiteout prefix \".wh.\": x/.wh.evil"),
        whiteoutName.stderr());
    assertEquals(1, whiteoutName.stderr().strip().lines().count(), whiteoutName.stderr());
    CliRunner.Result args =
        CliRunner.run("insert", "--image", layout + ":base", "--whiteout", "a", "b");
    assertEquals(1, args.exitCode());
    assertTrue(args.stderr().contains("expected 1"), args.stderr());
    assertEquals(snapshot, LayoutChecks.snapshot(layout));
    LayoutChecks.assertValid(layout);
  }

  @Test
  void autoOnAZstdImageWritesTheSameZstdLayerAsTheFixedChoiceAndNoOtherBlob() throws Exception {
    Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1000");
    String source = src.toString();
    CliRunner.runWithEnv(
            env,
            "insert",
            "--image",
            layout + ":base",
            "--tag",
            "z",
            "--compress",
            "zstd",
            source,
            "/x")
        .assertSuccess();
    Set<String> before = blobNames();
    // auto is guessed as gzip while the image loads; the guess is wrong here and must be redone.
    CliRunner.runWithEnv(env, "insert", "--image", layout + ":z", "--tag", "auto", source, "/y")
        .assertSuccess();
    Set<String> added = blobNames();
    added.removeAll(before);
    CliRunner.runWithEnv(
            env,
            "insert",
            "--image",
            layout + ":z",
            "--tag",
            "fixed",
            "--compress",
            "zstd",
            source,
            "/y")
        .assertSuccess();

    Manifest auto = manifest("auto");
    assertEquals(manifest("fixed").layers(), auto.layers(), "auto gave the fixed choice's layers");
    Descriptor layer = auto.layers().get(1);
    assertEquals(MediaTypes.LAYER_TAR_ZSTD, layer.mediaType());
    assertEquals(
        Set.of(layer.digest().hex(), auto.config().digest().hex(), digestOf("auto")),
        added,
        "only the zstd layer, config and manifest were stored: the gzip guess left no blob");
    LayoutChecks.assertValid(layout);
    LayoutChecks.assertNoTempDirs(layout);
  }

  @Test
  void aMissingImageIsReportedFirstAndNothingIsWritten() throws IOException {
    Map<String, String> snapshot = LayoutChecks.snapshot(layout);
    CliRunner.Result good =
        CliRunner.run("insert", "--image", layout + ":nope", src.toString(), "/x");
    assertEquals(1, good.exitCode());
    assertEquals(
        "umoci: tag \"nope\" not found in layout " + layout, good.stderr().strip(), good.stderr());
    // The source is bad too (a whiteout name, found while the image loads): the image comes first.
    Files.writeString(src.resolve(".wh.evil"), "x");
    CliRunner.Result both =
        CliRunner.run("insert", "--image", layout + ":nope", src.toString(), "/x");
    assertEquals(1, both.exitCode());
    assertEquals(good.stderr(), both.stderr());
    assertEquals(snapshot, LayoutChecks.snapshot(layout));
    LayoutChecks.assertNoTempDirs(layout);
  }

  @Test
  void theLayerIsTheOneTheSequentialPathWrites() throws Exception {
    // Several gzip blocks, with stored (random) and deflated (text) segments.
    byte[] random = new byte[3 << 20];
    new Random(16).nextBytes(random);
    Files.write(src.resolve("random.bin"), random);
    Files.writeString(src.resolve("text.txt"), "insert the same bytes\n".repeat(100_000));
    Instant epoch = Instant.ofEpochSecond(1000);
    Descriptor inserted =
        Insert.run(
            Insert.Options.copy(
                    new ImageRef(layout, "base"),
                    src,
                    "/opt/app",
                    new Timestamps(Clock.systemUTC(), Optional.of(epoch)))
                .withNewTag("overlapped"));
    try (OciLayout l = OciLayout.open(layout)) {
      ImageMutator image = ImageMutator.load(l, References.resolveManifest(l, "base"));
      Descriptor sequential =
          image.addLayer(
              out -> {
                try (TreeLayerWriter writer =
                    new TreeLayerWriter(out, GenerateOptions.of(IdMapping.identity(), epoch))) {
                  writer.addTree(src, "/opt/app");
                }
              },
              CompressionChoice.AUTO,
              null);
      assertEquals(sequential, inserted);
      assertEquals(image.image().rootfs(), config("overlapped").rootfs());
    }
  }

  Set<String> blobNames() throws IOException {
    try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
      return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  String digestOf(String tag) throws IOException {
    return GoTag.digest(layout, tag).substring("sha256:".length());
  }

  Manifest manifest(String tag) throws IOException {
    try (OciLayout l = OciLayout.open(layout)) {
      return ImageBlobs.manifest(l, References.resolve(l, tag));
    }
  }

  Path unpackWithGo(String tag) throws IOException, InterruptedException {
    Path bundle = tmp.resolve("bundle-" + tag);
    ExternalTool.run("umoci", "unpack", "--image", layout + ":" + tag, bundle.toString())
        .assertSuccess();
    return bundle;
  }

  /** Reads the manifest digest a tag points to. */
  static final class GoTag {
    static String digest(Path layout, String tag) throws IOException {
      try (var l = dev.umoci.oci.layout.OciLayout.open(layout)) {
        return dev.umoci.oci.casext.References.resolve(l, tag).digest().toString();
      }
    }
  }
}
