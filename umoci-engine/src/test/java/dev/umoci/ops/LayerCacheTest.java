package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.umoci.fs.IdMapping;
import dev.umoci.layer.Compression;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.GoJson;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LayerCache} and its use by {@link BuildImage}: a layer whose inputs did not change is the
 * blob the first build wrote, byte for byte what generating it again gives; any change of a source
 * (content, times, mode), of the options or of the compression gives another key.
 */
class LayerCacheTest {
  static final Instant WHEN = Instant.parse("2024-01-01T00:00:00Z");
  static final GenerateOptions ROOT_OWNED =
      new GenerateOptions(IdMapping.identity(), WHEN, 0, 0, false);

  /** Sources older than the racy window, made once for the class (one wait). */
  @TempDir static Path sources;

  static Path a;
  static Path b;
  static Path app;

  @TempDir Path tmp;

  @BeforeAll
  static void makeSettledSources() throws Exception {
    a = Files.writeString(sources.resolve("a.jar"), "library a");
    b = Files.writeString(sources.resolve("b.jar"), "library b");
    app = Files.writeString(sources.resolve("app.jar"), "the application");
    // Files changed within the racy window get no key; wait until these are older.
    Thread.sleep(LayerCache.RACY_WINDOW.toMillis() + 100);
  }

  static BuildImage.Layer dependencies(Path... files) {
    return new BuildImage.Layer(
        "dependencies",
        Stream.of(files).map(f -> BuildImage.Entry.under("/app/libs/", f)).toList());
  }

  BuildImage.Options options(Path layout, Path cache, Path... dependencies) {
    return BuildImage.Options.builder(new ImageRef(layout, "1.0"), Timestamps.fixed(WHEN))
        .platform(new HostPlatform("linux", "amd64", null))
        .layers(
            List.of(
                dependencies(dependencies),
                new BuildImage.Layer(
                    "application", List.of(new BuildImage.Entry(app, "/app/app.jar")))))
        .history(HistoryOptions.defaults())
        .compression(CompressionChoice.AUTO)
        .generate(ROOT_OWNED)
        .layerCache(cache)
        .build();
  }

  static List<Descriptor> layers(Path layout) throws IOException {
    return StatImage.run(new StatImage.Options(new ImageRef(layout, "1.0"))).manifest().layers();
  }

  @Test
  void aRebuildWithTheCacheGivesTheImageOfABuildWithout() throws IOException {
    Path layout = tmp.resolve("oci");
    Path cache = tmp.resolve("layers");
    Descriptor first = BuildImage.run(options(layout, cache, a, b)).manifest();
    try (Stream<Path> records = Files.list(cache)) {
      assertEquals(2, records.count(), "one record per layer of settled regular files");
    }
    Descriptor second = BuildImage.run(options(layout, cache, a, b)).manifest();
    Descriptor uncached = BuildImage.run(options(tmp.resolve("fresh"), null, a, b)).manifest();
    assertEquals(uncached.digest(), first.digest());
    assertEquals(uncached.digest(), second.digest());
    LayoutChecks.assertValid(layout);
  }

  @Test
  void theRecordIsWhatARebuildAppends() throws IOException {
    Path layout = tmp.resolve("oci");
    Path cache = tmp.resolve("layers");
    BuildImage.run(options(layout, cache, a, b));
    List<Descriptor> built = layers(layout);
    // Point the dependency layer's record at the application layer's blob: a rebuild that uses
    // the record (instead of generating the layer) then has that blob twice.
    LayerCache layerCache = new LayerCache(cache);
    String key = layerCache.key(dependencies(a, b), ROOT_OWNED, Compression.GZIP);
    assertNotNull(key);
    LayerCache.Recorded application;
    try (OciLayout l = OciLayout.open(layout)) {
      application =
          layerCache.lookup(
              layerCache.key(
                  new BuildImage.Layer(
                      "application", List.of(new BuildImage.Entry(app, "/app/app.jar"))),
                  ROOT_OWNED,
                  Compression.GZIP),
              l);
    }
    assertNotNull(application);
    assertEquals(built.get(1), application.layer());
    layerCache.store(key, application.layer(), application.diffId());

    BuildImage.run(options(layout, cache, a, b));
    assertEquals(List.of(built.get(1), built.get(1)), layers(layout));
  }

  @Test
  void aRecordWhoseBlobIsGoneIsNotUsed() throws IOException {
    Path layout = tmp.resolve("oci");
    Path cache = tmp.resolve("layers");
    BuildImage.run(options(layout, cache, a, b));
    Descriptor dependencyLayer = layers(layout).get(0);
    try (OciLayout l = OciLayout.open(layout)) {
      LayerCache layerCache = new LayerCache(cache);
      String key = layerCache.key(dependencies(a, b), ROOT_OWNED, Compression.GZIP);
      assertNotNull(layerCache.lookup(key, l));
      l.deleteBlob(dependencyLayer.digest());
      assertNull(layerCache.lookup(key, l));
    }
    BuildImage.run(options(layout, cache, a, b));
    assertEquals(dependencyLayer, layers(layout).get(0));
    LayoutChecks.assertValid(layout);
  }

  @Test
  void everyInputIsPartOfTheKey() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("src"));
    Path lib = dir.resolve("lib.jar");
    Files.writeString(lib, "version 1");
    FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(lib, old);
    LayerCache cache = new LayerCache(tmp.resolve("layers"), java.time.Duration.ZERO);
    String key = cache.key(dependencies(lib), ROOT_OWNED, Compression.GZIP);
    assertNotNull(key);
    assertEquals(key, cache.key(dependencies(lib), ROOT_OWNED, Compression.GZIP));
    assertNotEquals(key, cache.key(dependencies(lib), ROOT_OWNED, Compression.ZSTD));
    assertNotEquals(
        key, cache.key(dependencies(lib), GenerateOptions.defaults(), Compression.GZIP));
    assertNotEquals(
        key,
        cache.key(
            new BuildImage.Layer("dependencies", List.of(new BuildImage.Entry(lib, "/other.jar"))),
            ROOT_OWNED,
            Compression.GZIP));

    // The same size and modification time, other content: the change time moved.
    Thread.sleep(20);
    Files.writeString(lib, "version 2");
    Files.setLastModifiedTime(lib, old);
    String rewritten = cache.key(dependencies(lib), ROOT_OWNED, Compression.GZIP);
    assertNotEquals(key, rewritten);

    Thread.sleep(20);
    Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwx------"));
    assertNotEquals(rewritten, cache.key(dependencies(lib), ROOT_OWNED, Compression.GZIP));
  }

  @Test
  void directoriesAndJustChangedFilesAreNotCached() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("tree"));
    Path fresh = Files.writeString(tmp.resolve("fresh.jar"), "just written");
    LayerCache zero = new LayerCache(tmp.resolve("layers"), java.time.Duration.ZERO);
    assertNull(
        zero.key(
            new BuildImage.Layer("tree", List.of(new BuildImage.Entry(dir, "/tree"))),
            ROOT_OWNED,
            Compression.GZIP));
    LayerCache normal = new LayerCache(tmp.resolve("layers"));
    assertNull(normal.key(dependencies(fresh), ROOT_OWNED, Compression.GZIP));
    assertNotNull(normal.key(dependencies(a), ROOT_OWNED, Compression.GZIP));
  }

  @Test
  void aBrokenRecordIsIgnored() throws IOException {
    Path layout = tmp.resolve("oci");
    Path cache = tmp.resolve("layers");
    BuildImage.run(options(layout, cache, a, b));
    Descriptor expected = BuildImage.run(options(tmp.resolve("fresh"), null, a, b)).manifest();
    try (Stream<Path> records = Files.list(cache)) {
      for (Path record : records.toList()) {
        Files.write(record, GoJson.encode(Manifest.of(expected, List.of())));
      }
    }
    assertEquals(
        expected.digest(), BuildImage.run(options(layout, cache, a, b)).manifest().digest());
  }
}
