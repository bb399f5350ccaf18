package dev.umoci.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.UmociException;
import dev.umoci.fs.PosixFs;
import dev.umoci.layer.DeltaLayerWriter;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.mtree.ContentDigester;
import dev.umoci.mtree.EntryPath;
import dev.umoci.mtree.InodeDelta;
import dev.umoci.mtree.MtreeCompare;
import dev.umoci.mtree.MtreeEntry;
import dev.umoci.mtree.MtreeIndex;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.mtree.MtreeWalker;
import dev.umoci.oci.spec.Digest;
import dev.umoci.sys.TreeRemover;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot diff must give exactly what a full walk and compare give, for every kind of change,
 * and must refuse to answer for an mtree or settings it was not made for.
 */
class SnapshotDiffTest {
  static final PosixFs FS = PosixFs.host();
  static final long OLD = 1_600_000_000L * 1_000_000_000L;
  static final Digest MANIFEST = Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8));

  @TempDir Path bundle;
  Path rootfs;
  boolean xattrs;

  @BeforeEach
  void setUp() throws Exception {
    rootfs = Files.createDirectories(bundle.resolve("rootfs"));
    for (String d : List.of("etc", "usr/bin", "usr/lib/deep", "var/gone/inner", "opt")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    for (String f :
        List.of(
            "etc/passwd",
            "etc/same",
            "etc/touched",
            "etc/mode",
            "etc/chmod-back",
            "etc/linked",
            "etc/renamed",
            "etc/to-symlink",
            "etc/xattr",
            "usr/bin/tool",
            "usr/lib/deep/lib.so",
            "var/gone/file",
            "var/gone/inner/file",
            "opt/removed")) {
      Files.writeString(rootfs.resolve(f), "content of " + f);
    }
    Files.createSymbolicLink(rootfs.resolve("usr/bin/alias"), Path.of("tool"));
    FS.mkfifo(rootfs.resolve("etc/fifo"), 0600);
    xattrs = trySetXattr(rootfs.resolve("etc/passwd"), "user.keep", "v");
    try (var s = Files.walk(rootfs)) {
      for (Path p : s.toList()) {
        if (!Files.isSymbolicLink(p)) {
          FS.setTimes(p, OLD, OLD);
        }
      }
    }
    Thread.sleep(250); // older than the racy margin, so every record is trusted
    BundleMtree.generate(bundle, MANIFEST, false);
  }

  static boolean trySetXattr(Path p, String name, String value) {
    try {
      FS.setXattr(p, name, value.getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (IOException e) {
      return false; // a filesystem without user xattrs
    }
  }

  MtreeWalker walker(DigestCache cache) throws IOException {
    return BundleMtree.walker(rootfs, false, cache);
  }

  byte[] mtree() throws IOException {
    return Files.readAllBytes(new BundlePaths(bundle).mtree(MANIFEST));
  }

  List<InodeDelta> fast() throws IOException {
    DigestCache cache = DigestCache.load(bundle);
    MtreeWalker walker = walker(cache);
    return SnapshotDiff.diff(cache, mtree(), rootfs, walker, BundleMtree.context(walker, false));
  }

  List<InodeDelta> full() throws IOException {
    MtreeWalker walker = walker(DigestCache.empty());
    MtreeSpec stored = MtreeSpec.parse(mtree(), "stored");
    return MtreeCompare.compare(stored, walker.walk(rootfs), walker.keywords());
  }

  static List<String> paths(List<InodeDelta> deltas) {
    return deltas.stream().map(d -> d.type() + " " + d.path()).toList();
  }

  @Test
  void everyRecordIsTrustedAndAnUnchangedTreeHasNoDeltas() throws IOException {
    DigestCache cache = DigestCache.load(bundle);
    assertTrue(cache.entries().values().stream().allMatch(DigestCache.Entry::trusted));
    assertEquals(MtreeSpec.parse(mtree(), "m").entries().size(), cache.loadedEntries());
    List<InodeDelta> deltas = fast();
    assertNotNull(deltas);
    assertEquals(List.of(), deltas);
  }

  @Test
  void sameDeltasAsAFullWalkForEveryKindOfChange() throws Exception {
    Path same = rootfs.resolve("etc/same");
    Files.writeString(same, "CONTENT OF etc/same"); // same size, content differs
    FS.setTimes(same, OLD, OLD); // ... and the same mtime: only the ctime tells
    FS.setTimes(rootfs.resolve("etc/touched"), OLD, OLD + 5_000_000_000L);
    FS.chmod(rootfs.resolve("etc/mode"), 0600);
    FS.chmod(rootfs.resolve("etc/chmod-back"), 0600);
    FS.chmod(rootfs.resolve("etc/chmod-back"), 0644); // ctime moved, nothing else
    Files.createLink(rootfs.resolve("opt/hardlink"), rootfs.resolve("etc/linked"));
    Files.move(rootfs.resolve("etc/renamed"), rootfs.resolve("etc/renamed.new"));
    Files.delete(rootfs.resolve("etc/to-symlink"));
    Files.createSymbolicLink(rootfs.resolve("etc/to-symlink"), Path.of("passwd"));
    Files.delete(rootfs.resolve("usr/bin/alias"));
    Files.createSymbolicLink(rootfs.resolve("usr/bin/alias"), Path.of("elsewhere"));
    Files.writeString(rootfs.resolve("usr/lib/deep/new"), "new");
    Files.createDirectories(rootfs.resolve("usr/new/dir"));
    Files.writeString(rootfs.resolve("usr/new/dir/file"), "x");
    Files.delete(rootfs.resolve("opt/removed"));
    TreeRemover.direct().remove(rootfs.resolve("var/gone"));
    FS.mkfifo(rootfs.resolve("opt/newfifo"), 0644);
    if (xattrs) {
      trySetXattr(rootfs.resolve("etc/xattr"), "user.added", "1");
    }

    List<InodeDelta> fast = fast();
    assertNotNull(fast, "the cache is bound to this mtree");
    List<InodeDelta> full = full();
    assertEquals(full, fast);
    List<String> paths = paths(fast);
    assertTrue(paths.contains("MODIFIED etc/same"), paths::toString);
    assertTrue(paths.contains("MISSING var/gone/inner/file"), paths::toString);
    assertTrue(paths.contains("EXTRA usr/new/dir/file"), paths::toString);
    assertFalse(paths.contains("MODIFIED etc/chmod-back"), "a ctime alone is no change");
    assertEquals(xattrs, paths.contains("MODIFIED etc/xattr"));
  }

  /** Every kind of change of {@link #sameDeltasAsAFullWalkForEveryKindOfChange}, made again. */
  void changeEverything() throws Exception {
    Path same = rootfs.resolve("etc/same");
    Files.writeString(same, "CONTENT OF etc/same");
    FS.setTimes(same, OLD, OLD);
    FS.chmod(rootfs.resolve("etc/mode"), 0600);
    Files.createLink(rootfs.resolve("opt/hardlink"), rootfs.resolve("etc/linked"));
    Files.move(rootfs.resolve("etc/renamed"), rootfs.resolve("etc/renamed.new"));
    Files.delete(rootfs.resolve("usr/bin/alias"));
    Files.createSymbolicLink(rootfs.resolve("usr/bin/alias"), Path.of("elsewhere"));
    Files.createDirectories(rootfs.resolve("usr/new/dir"));
    Files.write(
        rootfs.resolve("usr/new/dir/large"), new byte[(int) SnapshotDiff.OWN_TASK_BYTES * 3]);
    Files.delete(rootfs.resolve("opt/removed"));
  }

  @Test
  void copiedBundleWithNewInodesGivesTheSameDeltasAsAFullWalk() throws Exception {
    changeEverything();
    Path copy = bundle.resolveSibling(bundle.getFileName() + "-copy");
    Process cp = new ProcessBuilder("cp", "-a", bundle.toString(), copy.toString()).start();
    assertEquals(0, cp.waitFor());
    List<InodeDelta> full = full();
    bundle = copy;
    rootfs = copy.resolve("rootfs");
    List<InodeDelta> fast = fast();
    assertNotNull(fast, "the copied cache is still bound to the copied mtree");
    assertEquals(full.size(), fast.size());
    assertEquals(paths(full), paths(fast));
    assertEquals(full(), fast);
  }

  @Test
  void withoutACacheEveryPathIsDescribedWithTheSameDeltasAsAFullWalk() throws Exception {
    changeEverything();
    MtreeWalker walker = walker(DigestCache.empty());
    List<InodeDelta> described =
        SnapshotDiff.diff(MtreeSpec.parse(mtree(), "stored"), rootfs, walker);
    assertEquals(full(), described);
    assertTrue(paths(described).contains("EXTRA usr/new/dir/large"), paths(described)::toString);
    assertTrue(paths(described).contains("MISSING opt/removed"), paths(described)::toString);
  }

  /**
   * A walker like the bundle's whose digester counts down {@code reads} at every file it hashes.
   */
  MtreeWalker countingWalker(CountDownLatch reads, AtomicInteger hashed) throws IOException {
    ContentDigester streaming = ContentDigester.streaming();
    return MtreeWalker.builder()
        .digester(
            (file, stat, kinds) -> {
              hashed.incrementAndGet();
              reads.countDown();
              return streaming.digest(file, stat, kinds);
            })
        .build();
  }

  @Test
  void mtreeParsedWhileListingGivesTheSameDeltasAsAFullWalkWhicheverIsFirst() throws Exception {
    changeEverything();
    List<InodeDelta> full = full();
    // Parsed before the listing looks at it.
    MtreeWalker walker = walker(DigestCache.empty());
    MtreeSpec spec = MtreeSpec.parse(mtree(), "stored");
    assertEquals(full, SnapshotDiff.diff(() -> MtreeIndex.of(spec), rootfs, walker, null));
    assertEquals(
        full,
        SnapshotDiff.diff(() -> MtreeIndex.of(mtree(), "stored", l -> {}), rootfs, walker, null));
    // Parsed only once three files were hashed: those paths are compared after the parse.
    CountDownLatch threeRead = new CountDownLatch(3);
    AtomicInteger hashed = new AtomicInteger();
    MtreeWalker counting = countingWalker(threeRead, hashed);
    List<InodeDelta> late =
        SnapshotDiff.diff(
            () -> {
              try {
                assertTrue(threeRead.await(5, TimeUnit.MINUTES), "the listing did not start");
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
              return MtreeIndex.of(mtree(), "stored", l -> {});
            },
            rootfs,
            counting,
            null);
    assertEquals(full, late);
    assertTrue(hashed.get() >= 3);
  }

  @Test
  void pathsListedBeforeTheRecordsAndDescribedAfterAreHeldBackAndGiveTheSameLayer()
      throws Exception {
    changeEverything();
    for (int i = 0; i < 20; i++) {
      Files.write(rootfs.resolve("late-" + i), new byte[100 + i * 1000]);
    }
    List<InodeDelta> full = full();
    // Every hash waits until the parse has returned (and once per thread a little more, for the
    // records to be published): the root's files are listed before the records are there, and all
    // but those already being hashed are described after.
    CountDownLatch firstHash = new CountDownLatch(1);
    CountDownLatch parsed = new CountDownLatch(1);
    ThreadLocal<Boolean> waited = ThreadLocal.withInitial(() -> false);
    ContentDigester streaming = ContentDigester.streaming();
    MtreeWalker walker =
        MtreeWalker.builder()
            .digester(
                (file, stat, kinds) -> {
                  firstHash.countDown();
                  try {
                    assertTrue(parsed.await(5, TimeUnit.MINUTES));
                    if (!waited.get()) {
                      waited.set(true);
                      Thread.sleep(200);
                    }
                  } catch (InterruptedException e) {
                    throw new IOException(e);
                  }
                  return streaming.digest(file, stat, kinds);
                })
            .build();
    DeferredContent later = new DeferredContent();
    List<InodeDelta> partial =
        SnapshotDiff.diff(
            () -> {
              try {
                assertTrue(firstHash.await(5, TimeUnit.MINUTES), "the listing did not start");
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
              MtreeIndex index = MtreeIndex.of(mtree(), "stored", l -> {});
              parsed.countDown();
              return index;
            },
            rootfs,
            walker,
            later);
    assertEquals(paths(full), paths(partial));
    long heldLate =
        partial.stream()
            .filter(d -> d.path().toString().startsWith("late-") && later.holds(d.path()))
            .count();
    assertTrue(heldLate >= 10, "files listed before the records, described after: " + heldLate);

    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    DeltaLayerWriter.write(
        layer,
        rootfs,
        partial,
        GenerateOptions.defaults(),
        () -> {},
        later::holds,
        later.observer());
    assertEquals(full, later.complete(partial, walker, DigestCache.empty(), rootfs));
    ByteArrayOutputStream slow = new ByteArrayOutputStream();
    DeltaLayerWriter.write(slow, rootfs, full, GenerateOptions.defaults());
    assertArrayEquals(slow.toByteArray(), layer.toByteArray(), "the same layer bytes");
  }

  @Test
  void aFailedParseIsThrownAndNoDiffGiven() throws Exception {
    changeEverything();
    MtreeWalker walker = walker(DigestCache.empty());
    UmociException thrown =
        assertThrows(
            UmociException.class,
            () ->
                SnapshotDiff.diff(
                    () -> {
                      throw new UmociException("bundle mtree manifest is damaged: test");
                    },
                    rootfs,
                    walker,
                    new DeferredContent()));
    assertEquals("bundle mtree manifest is damaged: test", thrown.getMessage());
  }

  @Test
  void heldBackContentIsHashedWhileWrittenAndCompletedToWhatAFullWalkGives() throws Exception {
    changeEverything();
    Files.writeString(rootfs.resolve("etc/passwd"), "grown", StandardOpenOption.APPEND);
    Files.createLink(rootfs.resolve("usr/new/dir/large-link"), rootfs.resolve("usr/new/dir/large"));
    Files.writeString(rootfs.resolve("usr/new/small"), "small");
    List<InodeDelta> full = full();
    for (boolean cached : List.of(true, false)) {
      DigestCache cache = cached ? DigestCache.load(bundle) : DigestCache.empty();
      MtreeWalker walker = walker(cache);
      DeferredContent later = new DeferredContent();
      List<InodeDelta> partial =
          cached
              ? SnapshotDiff.diff(
                  cache, mtree(), rootfs, walker, BundleMtree.context(walker, false), later)
              : SnapshotDiff.diff(MtreeSpec.parse(mtree(), "stored"), rootfs, walker, later);
      assertEquals(paths(full), paths(partial));
      for (String held :
          List.of("usr/new/dir/large", "usr/new/dir/large-link", "usr/new/small", "etc/passwd")) {
        InodeDelta d = delta(partial, held);
        assertTrue(later.holds(d.path()), held);
        assertNull(d.newEntry().value("sha256digest"), held + " is not read by the diff");
      }
      assertFalse(later.holds(delta(partial, "etc/same").path()), "same size: hashed to compare");
      assertNotNull(delta(partial, "etc/same").newEntry().value("sha256digest"));

      ByteArrayOutputStream layer = new ByteArrayOutputStream();
      DeltaLayerWriter.write(
          layer,
          rootfs,
          partial,
          GenerateOptions.defaults(),
          () -> {},
          later::holds,
          later.observer());
      List<InodeDelta> completed = later.complete(partial, walker, cache, rootfs);
      assertEquals(full, completed);
      for (InodeDelta d : completed) {
        if (later.holds(d.path())) {
          Path file = d.path().under(rootfs);
          MtreeEntry described = walker.describe(file, d.path(), FS.lstat(file));
          assertEquals(
              List.copyOf(described.keywords().keySet()),
              List.copyOf(d.newEntry().keywords().keySet()),
              d.path() + ": keys in the order a describe gives them");
        }
      }
      // opt/hardlink is written as a hard link to etc/linked (same size, so hashed by the diff
      // and not held back): the only held-back file whose content the layer writer did not read.
      assertEquals(1, later.hashedAgain(), "held-back files are hashed while written");

      ByteArrayOutputStream slow = new ByteArrayOutputStream();
      DeltaLayerWriter.write(slow, rootfs, full, GenerateOptions.defaults());
      assertArrayEquals(slow.toByteArray(), layer.toByteArray(), "the same layer bytes");
    }
  }

  @Test
  void heldBackContentNotWrittenIsReadWhenCompleted() throws Exception {
    changeEverything();
    List<InodeDelta> full = full();
    MtreeWalker walker = walker(DigestCache.empty());
    DeferredContent later = new DeferredContent();
    List<InodeDelta> partial =
        SnapshotDiff.diff(MtreeSpec.parse(mtree(), "stored"), rootfs, walker, later);
    long held = partial.stream().filter(d -> later.holds(d.path())).count();
    assertTrue(held >= 2, "usr/new/dir/large and etc/renamed.new at least");
    assertEquals(full, later.complete(partial, walker, DigestCache.empty(), rootfs));
    assertEquals(held, later.hashedAgain(), "held-back files never written are read now");
  }

  static InodeDelta delta(List<InodeDelta> deltas, String path) {
    return deltas.stream()
        .filter(d -> d.path().equals(EntryPath.of(path)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no delta for " + path + " in " + paths(deltas)));
  }

  @Test
  void refusesAnMtreeOrSettingsItWasNotMadeFor() throws IOException {
    DigestCache cache = DigestCache.load(bundle);
    MtreeWalker walker = walker(cache);
    String context = BundleMtree.context(walker, false);
    byte[] edited = mtree();
    edited[edited.length - 2] = 'x';
    assertNull(SnapshotDiff.diff(cache, edited, rootfs, walker, context));
    assertNull(
        SnapshotDiff.diff(cache, mtree(), rootfs, walker, BundleMtree.context(walker, true)));
    assertNull(SnapshotDiff.diff(DigestCache.empty(), mtree(), rootfs, walker, context));
  }

  @Test
  void racyRecordsAreNotTrustedAndTheirChangesAreFound() throws IOException {
    Path same = rootfs.resolve("etc/same");
    Files.writeString(same, "CONTENT OF etc/same");
    FS.setTimes(same, OLD, OLD);
    BundleMtree.generate(bundle, MANIFEST, false); // at once: etc/same changed a moment ago
    assertFalse(DigestCache.load(bundle).entries().get("etc/same").trusted());
    Files.writeString(same, "Content of etc/same"); // same size, same mtime, maybe same ctime
    FS.setTimes(same, OLD, OLD);
    List<InodeDelta> fast = fast();
    assertEquals(full(), fast);
    assertEquals(List.of("MODIFIED etc/same"), paths(fast));
  }
}
