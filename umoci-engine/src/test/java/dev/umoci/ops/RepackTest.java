package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.bundle.BundleMeta;
import dev.umoci.bundle.BundleMtree;
import dev.umoci.bundle.BundlePaths;
import dev.umoci.bundle.DigestCache;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.InvalidBundleException;
import dev.umoci.fs.IdMapping;
import dev.umoci.fs.PosixFs;
import dev.umoci.layer.Compression;
import dev.umoci.layer.TarEntry;
import dev.umoci.layer.TarReader;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.History;
import dev.umoci.oci.spec.Image;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repack on bundles built in code (rootfs + mtree + umoci.json), no external tools. */
class RepackTest {
  static final PosixFs FS = PosixFs.host();
  static final Timestamps CLOCK = Timestamps.fixed(Instant.parse("2024-05-06T07:08:09Z"));
  static final long OLD = 1_500_000_000L * 1_000_000_000L;

  @TempDir Path tmp;
  Path layout;
  Path bundle;
  Path rootfs;
  ImageRef base;

  @BeforeEach
  void setUp() throws IOException {
    layout = tmp.resolve("img");
    InitLayout.run(new InitLayout.Options(layout));
    base = new ImageRef(layout, "base");
    NewImage.run(new NewImage.Options(base, CLOCK));
    ConfigUpdate.run(
        ConfigUpdate.Options.builder(base)
            .timestamps(CLOCK)
            .volumes(List.of("/data"))
            .author("Ann")
            .build());
    bundle = tmp.resolve("bundle");
    rootfs = bundle.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("etc"));
    Files.createDirectories(rootfs.resolve("dir/x"));
    Files.createDirectories(rootfs.resolve("data"));
    Files.createDirectories(rootfs.resolve("masked"));
    Files.writeString(rootfs.resolve("etc/a"), "a");
    Files.writeString(rootfs.resolve("etc/b"), "b");
    Files.writeString(rootfs.resolve("dir/x/y"), "y");
    Files.writeString(rootfs.resolve("dir/z"), "z");
    Files.writeString(rootfs.resolve("data/v"), "v");
    Files.writeString(rootfs.resolve("keep"), "k");
    makeOld();
    writeBundleMeta(base);
  }

  /** Sets every time in the rootfs into the past so changes are visible and clamping testable. */
  void makeOld() throws IOException {
    try (Stream<Path> s = Files.walk(rootfs)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        FS.setTimes(p, OLD, OLD);
      }
    }
  }

  void writeBundleMeta(ImageRef image) throws IOException {
    Descriptor manifest;
    try (OciLayout l = OciLayout.open(layout)) {
      manifest = References.resolveManifest(l, image.tag()).descriptor();
      new BundleMeta(References.resolveManifest(l, image.tag()).walk(), IdMapping.identity())
          .write(bundle);
    }
    BundleMtree.generate(bundle, manifest.digest(), false);
  }

  Repack.Options options(String tag) {
    return Repack.Options.of(new ImageRef(layout, tag), bundle, CLOCK);
  }

  /** {@link #options} with other history flags. */
  Repack.Options options(String tag, HistoryOptions history) {
    Repack.Options d = options(tag);
    return new Repack.Options(
        d.image(), bundle, List.of(), false, false, d.compression(), history, CLOCK, true);
  }

  /** {@link #options} without the digest cache: every file walked and hashed. */
  Repack.Options uncachedOptions(String tag) {
    Repack.Options d = options(tag);
    return new Repack.Options(
        d.image(), bundle, List.of(), false, false, d.compression(), d.history(), CLOCK, false);
  }

  Map<String, TarEntry> layerEntries(Descriptor layer) throws IOException {
    Map<String, TarEntry> out = new LinkedHashMap<>();
    try (OciLayout l = OciLayout.open(layout);
        InputStream in = Compression.ofMediaType(layer.mediaType()).decompress(l.openBlob(layer));
        TarReader r = new TarReader(in)) {
      TarEntry e;
      while ((e = r.next()) != null) {
        out.put(new String(e.name(), StandardCharsets.UTF_8), e);
      }
    }
    return out;
  }

  Image config(String tag) throws IOException {
    return StatImage.run(new StatImage.Options(new ImageRef(layout, tag))).image();
  }

  @Test
  void deltaLayerHasWhiteoutsChangesAndNothingMasked() throws IOException {
    Files.writeString(rootfs.resolve("etc/a"), "changed");
    Files.delete(rootfs.resolve("etc/b"));
    Files.delete(rootfs.resolve("dir/x/y"));
    Files.delete(rootfs.resolve("dir/x"));
    Files.delete(rootfs.resolve("dir/z"));
    Files.delete(rootfs.resolve("dir"));
    Files.writeString(rootfs.resolve("data/v"), "volume change");
    Files.writeString(rootfs.resolve("masked/m"), "masked");
    Files.writeString(rootfs.resolve("new"), "new");
    Repack.Options o = options("new");
    o =
        new Repack.Options(
            o.image(),
            bundle,
            List.of("/masked"),
            false,
            false,
            CompressionChoice.of(Compression.GZIP),
            HistoryOptions.defaults(),
            CLOCK,
            true);
    Repack.Result result = Repack.run(o);
    LayoutChecks.assertValid(layout);
    LayoutChecks.assertTag(layout, "new", result.manifest().root().digest());
    Map<String, TarEntry> entries = layerEntries(result.layer());
    assertEquals(
        List.of(".", ".wh.dir", "etc/", "etc/a", "etc/.wh.b", "new"),
        new ArrayList<>(entries.keySet()),
        "sorted by path, one whiteout for the deleted directory, masks and volumes left out");
    assertEquals(7, entries.get("etc/a").size());
    History h = config("new").history().get(config("new").history().size() - 1);
    assertEquals("umoci repack", h.createdBy());
    assertEquals("Ann", h.author(), "author defaults to the image author");
    assertNotEquals(Boolean.TRUE, h.emptyLayer());
    // The base tag is untouched.
    assertEquals(0, config("base").rootfs().diffIds().size());
  }

  @Test
  void noMaskVolumesIncludesVolumeChanges() throws IOException {
    Files.writeString(rootfs.resolve("data/v"), "volume change");
    Repack.Options d = options("new");
    Repack.Result r =
        Repack.run(
            new Repack.Options(
                d.image(),
                bundle,
                List.of(),
                true,
                false,
                d.compression(),
                d.history(),
                CLOCK,
                true));
    assertTrue(layerEntries(r.layer()).containsKey("data/v"));
  }

  @Test
  void sameBundleTwiceGivesTheSameLayerAndCacheDoesNotChangeBytes() throws IOException {
    Files.writeString(rootfs.resolve("new"), "new");
    Files.writeString(rootfs.resolve("etc/a"), "changed");
    Descriptor first = Repack.run(options("one")).layer();
    Descriptor second = Repack.run(options("two")).layer();
    assertEquals(first.digest(), second.digest());
    Descriptor uncached = Repack.run(uncachedOptions("three")).layer();
    assertEquals(first.digest(), uncached.digest(), "byte-identical with and without the cache");
    LayoutChecks.assertValid(layout);
  }

  @Test
  void sourceDateEpochClampsNewerTimesOnly() throws IOException {
    Files.writeString(rootfs.resolve("new"), "new");
    Files.writeString(rootfs.resolve("older"), "o");
    FS.setTimes(rootfs.resolve("older"), OLD, 1_000_000_000L * 500);
    Timestamps sde =
        new Timestamps(
            Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC),
            Optional.of(Instant.ofEpochSecond(1000)));
    Repack.Result r = Repack.run(Repack.Options.of(new ImageRef(layout, "sde"), bundle, sde));
    Map<String, TarEntry> entries = layerEntries(r.layer());
    assertEquals(1000L * 1_000_000_000L, entries.get("new").mtimeNanos());
    assertEquals(500L * 1_000_000_000L, entries.get("older").mtimeNanos());
    assertEquals("1970-01-01T00:16:40Z", last(config("sde").history()).created());
  }

  @Test
  void emptyDiffAddsOnlyAnEmptyLayerHistoryEntry() throws IOException {
    Repack.Result r = Repack.run(options("same"));
    assertNull(r.layer());
    Image img = config("same");
    assertEquals(0, img.rootfs().diffIds().size());
    History h = last(img.history());
    assertEquals("umoci repack", h.createdBy());
    assertEquals(Boolean.TRUE, h.emptyLayer());
    Repack.run(options("nohist", HistoryOptions.none()));
    assertEquals(config("base").history().size(), config("nohist").history().size());
    LayoutChecks.assertValid(layout);
  }

  @Test
  void refreshBundleMovesTheBundleToTheNewManifest() throws IOException {
    Files.writeString(rootfs.resolve("new"), "new");
    Descriptor oldManifest = BundleMeta.read(bundle).manifest();
    Repack.Options d = options("r1");
    Repack.Result r =
        Repack.run(
            new Repack.Options(
                d.image(),
                bundle,
                List.of(),
                false,
                true,
                d.compression(),
                d.history(),
                CLOCK,
                true));
    DescriptorPath now = r.manifest();
    BundlePaths paths = new BundlePaths(bundle);
    assertFalse(Files.exists(paths.mtree(oldManifest.digest())));
    assertTrue(Files.exists(paths.mtree(now.descriptor().digest())));
    assertEquals(now.descriptor().digest(), BundleMeta.read(bundle).manifest().digest());
    assertTrue(Files.exists(bundle.resolve(DigestCache.FILE_NAME)));
    // Nothing changed since: the next repack is empty.
    Repack.Result again = Repack.run(options("r2"));
    assertNull(again.layer());
    assertEquals(List.of(), again.deltas());
    LayoutChecks.assertValid(layout);
  }

  @Test
  void cacheIsUsedOnlyWhileTheFileIsUnchanged() throws Exception {
    settleAndRegenerate();
    DigestCache cache = DigestCache.load(bundle);
    assertEquals(12, cache.loadedEntries(), "one record per mtree entry");
    // Same size, same mtime, new content: only ctime tells, and it must be noticed.
    Files.writeString(rootfs.resolve("etc/a"), "A");
    FS.setTimes(rootfs.resolve("etc/a"), OLD, OLD);
    Repack.Result r = Repack.run(options("c"));
    assertEquals(List.of("etc/a"), names(r));
    // A damaged cache is ignored, with the same result.
    byte[] bytes = Files.readAllBytes(bundle.resolve(DigestCache.FILE_NAME));
    bytes[bytes.length / 2] ^= 1;
    Files.write(bundle.resolve(DigestCache.FILE_NAME), bytes);
    assertEquals(0, DigestCache.load(bundle).loadedEntries());
    Files.writeString(bundle.resolve(DigestCache.FILE_NAME), "garbage");
    assertEquals(0, DigestCache.load(bundle).loadedEntries());
    assertEquals(r.layer().digest(), Repack.run(options("d")).layer().digest());
  }

  @Test
  void snapshotPathGivesTheSameLayerAsAFullWalk() throws Exception {
    settleAndRegenerate(); // every record trusted: repack lists the rootfs instead of walking it
    Files.writeString(rootfs.resolve("etc/a"), "A");
    FS.setTimes(rootfs.resolve("etc/a"), OLD, OLD);
    FS.chmod(rootfs.resolve("etc/b"), 0600);
    Files.delete(rootfs.resolve("dir/x/y"));
    Files.writeString(rootfs.resolve("dir/new"), "new");
    Repack.Result viaSnapshot = Repack.run(options("snap"));
    Repack.Result viaWalk = Repack.run(uncachedOptions("walk"));
    assertEquals(viaWalk.deltas(), viaSnapshot.deltas());
    assertEquals(viaWalk.layer().digest(), viaSnapshot.layer().digest());
    assertEquals(
        List.of("dir", "dir/new", "dir/x", "dir/x/y", "etc/a", "etc/b"), names(viaSnapshot));
    LayoutChecks.assertValid(layout);
  }

  @Test
  void uncachedAndCopiedBundlesGiveTheSameLayerBytesAsTheCachedPath() throws Exception {
    settleAndRegenerate();
    Files.writeString(rootfs.resolve("etc/a"), "A");
    Files.delete(rootfs.resolve("dir/x/y"));
    Files.writeString(rootfs.resolve("dir/new"), "new");
    Repack.Result cached = Repack.run(options("cached"));
    Repack.Result uncached = Repack.run(uncachedOptions("uncached"));
    Repack.Result walked = Repack.run(uncachedOptions("walked").withRefreshBundle(true));
    assertEquals(cached.deltas(), uncached.deltas());
    assertEquals(cached.layer().digest(), uncached.layer().digest());
    assertEquals(cached.layer().digest(), walked.layer().digest(), "full walk path");
    LayoutChecks.assertValid(layout);
  }

  @Test
  void filesHashedWhileWrittenGiveTheSameDeltasAndLayerAsAFullWalk() throws Exception {
    settleAndRegenerate();
    Files.writeString(rootfs.resolve("etc/a"), "grown by a few bytes"); // held: size changed
    byte[] large = new byte[600 * 1024];
    new java.util.Random(16).nextBytes(large);
    Files.write(rootfs.resolve("dir/large"), large); // held: new, described as a task of its own
    Files.writeString(rootfs.resolve("dir/new"), "new");
    Files.createLink(rootfs.resolve("dir/new-link"), rootfs.resolve("dir/new"));
    Files.createDirectories(rootfs.resolve("masked"));
    Files.writeString(rootfs.resolve("masked/held"), "held back, never written");
    List<String> masks = List.of("masked");
    Repack.Result cached = Repack.run(options("cached").withMaskPaths(masks));
    Repack.Result uncached = Repack.run(uncachedOptions("uncached").withMaskPaths(masks));
    Repack.Result walked =
        Repack.run(uncachedOptions("walked").withMaskPaths(masks).withRefreshBundle(true));
    assertEquals(walked.deltas(), cached.deltas(), "complete entries, as a full walk has them");
    assertEquals(walked.deltas(), uncached.deltas());
    assertEquals(walked.layer().digest(), cached.layer().digest());
    assertEquals(walked.layer().digest(), uncached.layer().digest());
    String largeDigest =
        cached.deltas().stream()
            .filter(d -> d.path().equals(dev.umoci.mtree.EntryPath.of("dir/large")))
            .findFirst()
            .orElseThrow()
            .newEntry()
            .value("sha256digest");
    assertEquals(dev.umoci.oci.spec.Digest.sha256(large).hex(), largeDigest);
    LayoutChecks.assertValid(layout);
  }

  @Test
  void cacheHitsSkipReadingFiles() throws Exception {
    settleAndRegenerate();
    DigestCache cache = DigestCache.load(bundle);
    int[] reads = {0};
    var counting =
        cache.digester(
            rootfs,
            (file, stat, kinds) -> {
              reads[0]++;
              return dev.umoci.mtree.ContentDigester.streaming().digest(file, stat, kinds);
            });
    Files.writeString(rootfs.resolve("etc/a"), "changed");
    dev.umoci.mtree.MtreeWalker.builder().digester(counting).build().walk(rootfs);
    assertEquals(1, reads[0], "only the changed file is read");
  }

  /**
   * Files changed just before they are hashed are not cached (racy); wait a little, then write the
   * bundle's mtree and cache again.
   */
  void settleAndRegenerate() throws IOException {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
    BundleMtree.generate(bundle, BundleMeta.read(bundle).manifest().digest(), false);
  }

  static List<String> names(Repack.Result r) {
    return r.deltas().stream()
        .map(d -> new String(d.path().bytes(), StandardCharsets.UTF_8))
        .toList();
  }

  static History last(List<History> h) {
    return h.get(h.size() - 1);
  }

  @Test
  void badBundlesFailInOneLineAndLeaveTheLayoutUnchanged() throws IOException {
    Map<String, String> snapshot = LayoutChecks.snapshot(layout);
    Files.writeString(rootfs.resolve("new"), "new");
    BundlePaths paths = new BundlePaths(bundle);
    Path mtree = paths.mtree(BundleMeta.read(bundle).manifest().digest());
    byte[] good = Files.readAllBytes(mtree);

    // Truncated mid-line.
    Files.write(mtree, java.util.Arrays.copyOf(good, good.length * 2 / 3));
    assertOneLineFailure("damaged");
    // Truncated at a line end (directories left open).
    String text = new String(good, StandardCharsets.UTF_8);
    int cut = text.indexOf("\n", text.indexOf("etc")) + 1;
    Files.writeString(mtree, text.substring(0, cut));
    assertOneLineFailure("not closed");
    // Garbage.
    Files.writeString(mtree, "\u0000\u0001garbage =\n/set\n");
    assertOneLineFailure("damaged");
    Files.write(mtree, good);

    // A whiteout-prefixed name in the rootfs.
    Files.writeString(rootfs.resolve(".wh.x"), "x");
    assertOneLineFailure("invalid path has whiteout prefix");
    Files.delete(rootfs.resolve(".wh.x"));

    // No umoci.json.
    Path meta = paths.metaJson();
    byte[] metaBytes = Files.readAllBytes(meta);
    Files.delete(meta);
    assertOneLineFailure("umoci.json does not exist");
    Files.write(meta, metaBytes);
    assertEquals(snapshot, LayoutChecks.snapshot(layout));
    LayoutChecks.assertValid(layout);
    LayoutChecks.assertNoTempDirs(layout);

    // The manifest was garbage-collected.
    RemoveTag.run(new RemoveTag.Options(base));
    GarbageCollect.run(new GarbageCollect.Options(layout));
    Map<String, String> afterGc = LayoutChecks.snapshot(layout);
    assertOneLineFailure("no longer in layout");
    assertEquals(afterGc, LayoutChecks.snapshot(layout));
  }

  void assertOneLineFailure(String expected) {
    CliRunner.Result r = CliRunner.run("repack", "--image", layout + ":x", bundle.toString());
    assertEquals(1, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains(expected), r.stderr());
    assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
  }

  @Test
  void invalidHistoryFlagsAreRefusedFirst() {
    Repack.Options d = options("x");
    assertThrows(
        InvalidArgumentException.class,
        () -> Repack.run(options("x", HistoryOptions.none().withAuthor("a"))));
    assertNotNull(d);
    assertThrows(
        InvalidBundleException.class,
        () -> Repack.run(Repack.Options.of(d.image(), tmp.resolve("nothing"), CLOCK)));
  }
}
