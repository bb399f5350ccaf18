package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.ReferenceNotFoundException;
import dev.umoci.fs.IdMapping;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.History;
import dev.umoci.oci.spec.Image;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BuildImage}: layers, config, base images from other layouts, reproducibility. */
class BuildImageTest {
  static final Instant WHEN = Instant.parse("2024-01-01T00:00:00Z");

  @TempDir Path tmp;
  Path libs;
  Path appJar;

  @BeforeEach
  void setUp() throws IOException {
    libs = Files.createDirectories(tmp.resolve("libs"));
    Files.writeString(libs.resolve("a.jar"), "library a");
    Files.writeString(libs.resolve("b.jar"), "library b");
    appJar = tmp.resolve("app.jar");
    Files.writeString(appJar, "the application");
  }

  static GenerateOptions rootOwned(Instant clamp) {
    return new GenerateOptions(IdMapping.identity(), clamp, 0, 0, false);
  }

  BuildImage.Options options(Path layout, ImageRef base, List<String> deletions) {
    List<BuildImage.Layer> layers =
        List.of(
            new BuildImage.Layer(
                "dependencies",
                List.of(
                    new BuildImage.Entry(libs.resolve("a.jar"), "/app/libs/a.jar"),
                    new BuildImage.Entry(libs.resolve("b.jar"), "/app/libs/b.jar"))),
            new BuildImage.Layer("nothing", List.of()),
            new BuildImage.Layer(
                "application", List.of(new BuildImage.Entry(appJar, "/app/app.jar"))));
    ConfigUpdate.Options config =
        ConfigUpdate.Options.builder(new ImageRef(layout, "unused"))
            .entrypoint(List.of("java", "-cp", "/app/libs/*:/app/app.jar", "Main"))
            .env(List.of("A=1"))
            .author("builder")
            .build();
    return BuildImage.Options.builder(new ImageRef(layout, "1.0"), Timestamps.fixed(WHEN))
        .base(base)
        .platform(new HostPlatform("linux", "amd64", null))
        .deletions(deletions)
        .layers(layers)
        .config(config)
        .history(HistoryOptions.defaults())
        .compression(CompressionChoice.AUTO)
        .generate(rootOwned(WHEN))
        .build();
  }

  static Image image(Path layout, String tag) throws IOException {
    return StatImage.run(new StatImage.Options(new ImageRef(layout, tag))).image();
  }

  /** name -> entry of every layer blob's tar, in order, per layer. */
  static List<Map<String, TarArchiveEntry>> layers(Path layout, String tag) throws IOException {
    StatReport stat = StatImage.run(new StatImage.Options(new ImageRef(layout, tag)));
    List<Map<String, TarArchiveEntry>> out = new ArrayList<>();
    try (OciLayout l = OciLayout.open(layout)) {
      for (Descriptor layer : stat.manifest().layers()) {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (InputStream in = l.openBlob(layer);
            TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
          for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            entries.put(e.getName(), e);
          }
        }
        out.add(entries);
      }
    }
    return out;
  }

  @Test
  void emptyBaseGetsOneLayerPerNonEmptyGroupAndTheConfig() throws IOException {
    Path layout = tmp.resolve("out/oci");
    BuildImage.Result result = BuildImage.run(options(layout, null, null));

    LayoutChecks.assertTag(layout, "1.0", result.manifest().digest());
    LayoutChecks.assertNoTempDirs(layout);
    assertEquals(2, result.addedLayers().size());
    Image image = image(layout, "1.0");
    assertEquals(
        List.of("java", "-cp", "/app/libs/*:/app/app.jar", "Main"), image.config().entrypoint());
    assertEquals(List.of("A=1"), image.config().env());
    assertEquals("builder", image.author());
    assertEquals("2024-01-01T00:00:00Z", image.created());
    assertEquals("amd64", image.architecture());
    List<History> history = image.history();
    assertEquals(
        List.of("dependencies", "application"), history.stream().map(History::createdBy).toList());
    assertEquals("builder", history.get(0).author());
    assertEquals("2024-01-01T00:00:00Z", history.get(1).created());

    List<Map<String, TarArchiveEntry>> layers = layers(layout, "1.0");
    assertEquals(
        List.of("app/", "app/libs/", "app/libs/a.jar", "app/libs/b.jar"),
        List.copyOf(layers.get(0).keySet()));
    assertEquals(List.of("app/", "app/app.jar"), List.copyOf(layers.get(1).keySet()));
    for (Map<String, TarArchiveEntry> layer : layers) {
      for (TarArchiveEntry e : layer.values()) {
        assertEquals(0, e.getLongUserId(), e.getName());
        assertEquals(0, e.getLongGroupId(), e.getName());
        assertFalse(e.getModTime().toInstant().isAfter(WHEN), e.getName());
      }
    }
    assertEquals(0755, layers.get(0).get("app/").getMode() & 07777);
  }

  @Test
  void unchangedInputsGiveTheSameDigestEvenWithNewFileTimes() throws IOException {
    Descriptor first = BuildImage.run(options(tmp.resolve("one"), null, null)).manifest();
    Files.setLastModifiedTime(appJar, FileTime.from(Instant.now()));
    Files.setLastModifiedTime(libs.resolve("a.jar"), FileTime.from(Instant.now()));
    Descriptor second = BuildImage.run(options(tmp.resolve("two"), null, null)).manifest();
    assertEquals(first.digest(), second.digest());
    // and again into the same layout: the tag keeps pointing at the same manifest
    Descriptor third = BuildImage.run(options(tmp.resolve("one"), null, null)).manifest();
    assertEquals(first.digest(), third.digest());

    Files.writeString(appJar, "a changed application");
    Descriptor changed = BuildImage.run(options(tmp.resolve("one"), null, null)).manifest();
    assertNotEquals(first.digest(), changed.digest());
  }

  @Test
  void rootOwnedLayersTimeEveryFileAtTheBuildTimeSoOldFileTimesNeverReachTheDigest()
      throws IOException {
    Path tree = Files.createDirectories(tmp.resolve("image/etc"));
    Files.writeString(tree.resolve("app.conf"), "conf");
    List<Path> files = List.of(appJar, libs.resolve("a.jar"), tree, tree.resolve("app.conf"));
    List<Descriptor> built = new ArrayList<>();
    for (String old : List.of("2001-02-03T04:05:06Z", "2010-06-07T08:09:10Z")) {
      for (Path f : files) {
        // older than the build time: a clamp would keep them
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse(old)));
      }
      Path layout = tmp.resolve("out-" + old.substring(0, 4));
      BuildImage.Options o =
          BuildImage.Options.builder(new ImageRef(layout, "1.0"), Timestamps.fixed(WHEN))
              .platform(new HostPlatform("linux", "amd64", null))
              .layers(
                  List.of(
                      new BuildImage.Layer(
                          "files",
                          List.of(
                              new BuildImage.Entry(libs.resolve("a.jar"), "/app/libs/a.jar"),
                              new BuildImage.Entry(appJar, "/app/app.jar"))),
                      new BuildImage.Layer("tree", List.of(new BuildImage.Entry(tree, "/etc")))))
              .generate(BuildImage.rootOwnedLayers(WHEN))
              .build();
      built.add(BuildImage.run(o).manifest());
      for (Map<String, TarArchiveEntry> layer : layers(layout, "1.0")) {
        for (TarArchiveEntry e : layer.values()) {
          assertEquals(WHEN, e.getModTime().toInstant(), e.getName());
        }
      }
    }
    assertEquals(built.get(0).digest(), built.get(1).digest());
  }

  @Test
  void baseBlobsAreHardLinkedNotCopied() throws IOException {
    Path baseLayout = tmp.resolve("base");
    BuildImage.run(options(baseLayout, null, null));
    Path layout = tmp.resolve("app");
    BuildImage.run(
        BuildImage.Options.builder(new ImageRef(layout, "app"), Timestamps.fixed(WHEN))
            .base(new ImageRef(baseLayout, "1.0"))
            .deletions(List.of("/etc"))
            .layers(List.of())
            .compression(CompressionChoice.AUTO)
            .generate(rootOwned(WHEN))
            .build());
    LayoutChecks.assertValid(layout);
    List<Descriptor> baseLayers =
        StatImage.run(new StatImage.Options(new ImageRef(baseLayout, "1.0"))).manifest().layers();
    assertEquals(2, baseLayers.size());
    try (OciLayout base = OciLayout.open(baseLayout);
        OciLayout app = OciLayout.open(layout)) {
      for (Descriptor layer : baseLayers) {
        assertTrue(
            Files.isSameFile(base.blobPath(layer.digest()), app.blobPath(layer.digest())),
            "not shared: " + layer.digest());
      }
    }
  }

  @Test
  void aBlobThatDoesNotMatchItsDigestIsNeitherLinkedNorStored() throws IOException {
    Path layout = tmp.resolve("target");
    try (OciLayout target = OciLayout.create(layout)) {
      Descriptor expected =
          target.putBytes("application/octet-stream", "right".getBytes(StandardCharsets.UTF_8));
      target.deleteBlob(expected.digest());
      Path wrong = Files.writeString(tmp.resolve("wrong"), "wrong");
      assertThrows(DigestMismatchException.class, () -> target.linkBlob(wrong, expected));
      assertFalse(target.hasBlob(expected.digest()));
      Path right = Files.writeString(tmp.resolve("right"), "right");
      assertTrue(target.linkBlob(right, expected));
      assertTrue(Files.isSameFile(right, target.blobPath(expected.digest())));
    }
  }

  @Test
  void baseFromAnotherLayoutIsCopiedAndDeletionsBecomeWhiteouts() throws Exception {
    Path baseLayout = tmp.resolve("base");
    Path etc = Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(etc.resolve("motd"), "welcome\n");
    Files.writeString(etc.resolve("keep"), "kept\n");
    BuildImage.run(
        BuildImage.Options.builder(new ImageRef(baseLayout, "base"), Timestamps.fixed(WHEN))
            .layers(
                List.of(new BuildImage.Layer("etc", List.of(new BuildImage.Entry(etc, "/etc")))))
            .compression(CompressionChoice.AUTO)
            .generate(rootOwned(WHEN))
            .build());

    Path layout = tmp.resolve("app");
    BuildImage.run(options(layout, new ImageRef(baseLayout, "base"), List.of("/etc/motd")));
    LayoutChecks.assertValid(layout);
    LayoutChecks.assertValid(baseLayout);
    Image image = image(layout, "1.0");
    assertEquals(4, image.rootfs().diffIds().size());
    assertEquals(
        List.of("etc", "umoci build: delete", "dependencies", "application"),
        image.history().stream().map(History::createdBy).toList());
    assertTrue(layers(layout, "1.0").get(1).containsKey("etc/.wh.motd"));

    Interop.requireTool("/usr/bin/umoci");
    Path bundle = tmp.resolve("bundle");
    ExternalTool.run(
            "/usr/bin/umoci", "unpack", "--rootless", "--image", layout + ":1.0", bundle.toString())
        .assertSuccess();
    assertFalse(Files.exists(bundle.resolve("rootfs/etc/motd")));
    assertEquals("kept\n", Files.readString(bundle.resolve("rootfs/etc/keep")));
    assertEquals("the application", Files.readString(bundle.resolve("rootfs/app/app.jar")));
  }

  @Test
  void baseInTheSameLayout() throws IOException {
    Path layout = tmp.resolve("same");
    BuildImage.run(options(layout, null, null));
    BuildImage.Options again = options(layout, new ImageRef(layout, "1.0"), null);
    BuildImage.Options retagged = again.toBuilder().target(new ImageRef(layout, "2.0")).build();
    BuildImage.run(retagged);
    LayoutChecks.assertValid(layout);
    assertEquals(4, image(layout, "2.0").rootfs().diffIds().size());
    assertEquals(2, image(layout, "1.0").rootfs().diffIds().size());
  }

  @Test
  void badInputFailsBeforeAnythingIsWritten() throws IOException {
    Path layout = tmp.resolve("bad");
    Path baseLayout = tmp.resolve("empty");
    InitLayout.run(new InitLayout.Options(baseLayout));
    assertThrows(
        ReferenceNotFoundException.class,
        () -> BuildImage.run(options(layout, new ImageRef(baseLayout, "nosuch"), null)));
    assertThrows(
        InvalidArgumentException.class,
        () -> BuildImage.run(options(tmp.resolve("bad2"), null, List.of("relative/path"))));
    assertThrows(
        InvalidArgumentException.class,
        () -> BuildImage.run(options(tmp.resolve("bad3"), null, List.of("/"))));
    assertFalse(Files.exists(layout), "target layout created although the base tag is unknown");
    Files.delete(appJar);
    assertThrows(
        InvalidArgumentException.class,
        () -> BuildImage.run(options(tmp.resolve("bad4"), null, null)));
    assertFalse(Files.exists(tmp.resolve("bad2")));
    assertFalse(Files.exists(tmp.resolve("bad4")));
  }

  @Test
  void pathsAreCleanedAndParentsListed() throws InvalidArgumentException {
    assertEquals("/a/b", BuildInputs.clean("//a/./b/"));
    assertEquals(List.of("/a", "/a/b"), BuildInputs.parents("/a/b/c"));
    assertEquals(List.of(), BuildInputs.parents("/a"));
    assertThrows(InvalidArgumentException.class, () -> BuildInputs.clean("/a/../b"));
  }

  @Test
  void archiveHoldsOnlyReachableBlobsAndIsReproducible() throws IOException {
    Path layout = tmp.resolve("arch");
    BuildImage.run(options(layout, null, null));
    Files.writeString(layout.resolve("blobs/sha256/" + "0".repeat(64)), "garbage");
    Path a = tmp.resolve("a.tar");
    Path b = tmp.resolve("b.tar");
    ArchiveLayout.run(new ArchiveLayout.Options(layout, a, WHEN));
    Files.setLastModifiedTime(layout.resolve("index.json"), FileTime.from(Instant.now()));
    // a blob older than the build time (one linked from the base cache, pulled long ago) is timed
    // as every other entry
    try (var blobs = Files.list(layout.resolve("blobs/sha256"))) {
      for (Path blob : blobs.toList()) {
        Files.setLastModifiedTime(blob, FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
      }
    }
    ArchiveLayout.run(new ArchiveLayout.Options(layout, b, WHEN));
    assertEquals(LayoutChecks.sha256Hex(a), LayoutChecks.sha256Hex(b));
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(a))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        names.add(e.getName());
      }
    }
    assertEquals(
        List.of("oci-layout", "index.json", "blobs/", "blobs/sha256/"), names.subList(0, 4));
    assertEquals(4 + 4, names.size(), names.toString()); // manifest, config, two layers
    assertFalse(names.contains("blobs/sha256/" + "0".repeat(64)));
  }
}
