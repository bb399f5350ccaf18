package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.layer.Compression;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BuildImage#runPrepared}, {@link BuildImage#prepare} and {@link
 * BuildImage#run(BuildImage.Options, PreparedLayers)}: the image is byte for byte the one of a
 * build without preparation, whether the prepared blobs fit the build or not, and {@link
 * PreparedLayers#discard} leaves the layout as it was.
 */
class PreparedLayersTest {
  static final Instant WHEN = BuildImageTest.WHEN;

  @TempDir Path tmp;
  BuildImageTest fixture;
  Path gzipBase;
  Path zstdBase;

  @BeforeEach
  void setUp() throws IOException {
    fixture = new BuildImageTest();
    fixture.tmp = tmp;
    fixture.setUp();
    gzipBase = base("gzip-base", Compression.GZIP);
    zstdBase = base("zstd-base", Compression.ZSTD);
  }

  private Path base(String name, Compression compression) throws IOException {
    Path etc = Files.createDirectories(tmp.resolve(name + "-etc"));
    Files.writeString(etc.resolve("motd"), "welcome to " + name + "\n");
    Path layout = tmp.resolve(name);
    BuildImage.run(
        BuildImage.Options.builder(new ImageRef(layout, "base"), Timestamps.fixed(WHEN))
            .layers(
                List.of(new BuildImage.Layer("etc", List.of(new BuildImage.Entry(etc, "/etc")))))
            .compression(new CompressionChoice(Optional.of(compression)))
            .generate(BuildImageTest.rootOwned(WHEN))
            .build());
    return layout;
  }

  /** The build's options without base and config, as the Maven goal prepares with. */
  private BuildImage.Options common(Path layout) {
    return fixture.options(layout, null, List.of("/etc/motd")).toBuilder().config(null).build();
  }

  private BuildImage.Options full(Path layout, Path base) {
    return fixture.options(layout, new ImageRef(base, "base"), List.of("/etc/motd"));
  }

  /** The blobs a garbage collection of {@code layout} removes. */
  private static Set<Digest> garbage(Path layout) throws IOException {
    return new HashSet<>(GarbageCollect.run(new GarbageCollect.Options(layout)).removedBlobs());
  }

  /** The garbage of a build's layout, by content (a build may leave some of its own). */
  private Set<Digest> plainGarbage(Path base) throws IOException {
    Path plain = tmp.resolve("plain-for-garbage");
    BuildImage.run(full(plain, base));
    return garbage(plain);
  }

  private static Set<Digest> blobs(Path layout) throws IOException {
    try (OciLayout l = OciLayout.open(layout)) {
      return new HashSet<>(l.listBlobs());
    }
  }

  @Test
  void preparedLayersGiveTheImageOfABuildWithoutAndAreTheOnesItReferences() throws IOException {
    BuildImage.Result plain = BuildImage.run(full(tmp.resolve("plain"), gzipBase));

    Path layout = tmp.resolve("prepared");
    PreparedLayers prepared = PreparedLayers.write(common(layout));
    assertEquals(2, prepared.size(), "the two non-empty layers");
    assertEquals(Compression.GZIP, prepared.compression());
    Set<Digest> afterPrepare = blobs(layout);
    BuildImage.Result result = BuildImage.run(full(layout, gzipBase), prepared);

    assertEquals(plain.manifest().digest(), result.manifest().digest());
    assertEquals(plain.addedLayers(), result.addedLayers());
    for (Descriptor layer : result.addedLayers().subList(1, 3)) {
      assertTrue(afterPrepare.contains(layer.digest()), "written by prepare: " + layer);
    }
    LayoutChecks.assertValid(layout);
    assertEquals(plainGarbage(gzipBase), garbage(layout), "every prepared blob is referenced");
  }

  @Test
  void aWrongCompressionGuessWritesTheLayersAgainWithTheBasesCompression() throws IOException {
    BuildImage.Result plain = BuildImage.run(full(tmp.resolve("plain"), zstdBase));

    Path layout = tmp.resolve("prepared");
    PreparedLayers prepared = PreparedLayers.write(common(layout));
    assertEquals(Compression.GZIP, prepared.compression(), "auto is guessed as gzip");
    Set<Digest> gzipBlobs = blobs(layout);
    BuildImage.Result result = BuildImage.run(full(layout, zstdBase), prepared);

    assertEquals(plain.manifest().digest(), result.manifest().digest());
    assertEquals(
        Compression.ZSTD.layerMediaType(), result.addedLayers().get(2).mediaType(), "zstd base");
    Set<Digest> expected = new HashSet<>(gzipBlobs);
    expected.addAll(plainGarbage(zstdBase));
    assertEquals(expected, garbage(layout), "only the unused gzip blobs are more garbage");
    LayoutChecks.assertValid(layout);
  }

  @Test
  void layersPreparedWithOtherGenerationOptionsAreNotUsed() throws IOException {
    BuildImage.Result plain = BuildImage.run(full(tmp.resolve("plain"), gzipBase));

    Path layout = tmp.resolve("prepared");
    PreparedLayers prepared =
        PreparedLayers.write(
            common(layout).toBuilder()
                .generate(BuildImageTest.rootOwned(WHEN.minusSeconds(3600)))
                .build());
    Set<Digest> unused = blobs(layout);
    BuildImage.Result result = BuildImage.run(full(layout, gzipBase), prepared);

    assertEquals(plain.manifest().digest(), result.manifest().digest());
    unused.addAll(plainGarbage(gzipBase));
    assertEquals(unused, garbage(layout));
  }

  @Test
  void runPreparedBuildsTheImageOfTheCompletedOptions() throws IOException {
    BuildImage.Result plain = BuildImage.run(full(tmp.resolve("plain"), gzipBase));

    Path layout = tmp.resolve("prepared");
    BuildImage.Result result = BuildImage.runPrepared(common(layout), () -> full(layout, gzipBase));

    assertEquals(plain.manifest().digest(), result.manifest().digest());
    assertEquals(plainGarbage(gzipBase), garbage(layout));
  }

  @Test
  void runPreparedLeavesNothingWhenTheBaseCannotBeHad() throws IOException {
    Path layout = tmp.resolve("target/oci");
    IOException noBase = new IOException("no such base");

    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                BuildImage.runPrepared(
                    common(layout),
                    () -> {
                      assertTrue(Files.isDirectory(layout), "the layers are prepared first");
                      throw noBase;
                    }));

    assertSame(noBase, thrown);
    assertFalse(Files.exists(layout));
  }

  @Test
  void runPreparedLeavesNothingWhenTheCompletedOptionsAreRefused() throws IOException {
    Path layout = tmp.resolve("target/oci");
    BuildImage.Options full = full(layout, gzipBase);
    ConfigUpdate.Options badConfig =
        ConfigUpdate.Options.builder(new ImageRef(layout, "unused"))
            .clear(List.of("rootfs.diffids"))
            .build();

    assertThrows(
        InvalidArgumentException.class,
        () ->
            BuildImage.runPrepared(
                common(layout), () -> full.toBuilder().config(badConfig).build()));

    assertFalse(Files.exists(layout));
  }

  @Test
  void discardRemovesALayoutThatPreparingCreated() throws IOException {
    Path layout = tmp.resolve("target/oci");
    PreparedLayers prepared = PreparedLayers.write(common(layout));
    assertTrue(Files.isDirectory(layout));

    prepared.discard();

    assertFalse(Files.exists(layout));
  }

  @Test
  void discardInALayoutThatExistedRemovesOnlyWhatNoTagReaches() throws IOException {
    Path layout = tmp.resolve("target/oci");
    BuildImage.run(full(layout, gzipBase));
    garbage(layout);
    Set<Digest> before = blobs(layout);
    Files.writeString(fixture.appJar, "the application, changed");

    PreparedLayers prepared = PreparedLayers.write(common(layout));
    assertFalse(before.containsAll(blobs(layout)), "the changed layer is a new blob");
    prepared.discard();

    assertEquals(before, blobs(layout));
    LayoutChecks.assertValid(layout);
  }
}
