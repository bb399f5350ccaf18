package dev.umoci.bundle;

import dev.umoci.errors.MtreeFormatException;
import dev.umoci.fs.FileStat;
import dev.umoci.mtree.DeltaType;
import dev.umoci.mtree.EntryPath;
import dev.umoci.mtree.InodeDelta;
import dev.umoci.mtree.KeyVal;
import dev.umoci.mtree.MtreeCompare;
import dev.umoci.mtree.MtreeEntry;
import dev.umoci.mtree.MtreeIndex;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.mtree.MtreeWalker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repack's diff without a full walk: the differences between a bundle's mtree and its rootfs, found
 * by listing the rootfs on every core and describing only what the old mtree does not vouch for.
 *
 * <p>The rootfs is listed and every path lstat'ed. With a {@link DigestCache} bound to the mtree
 * ({@link #diff(DigestCache, byte[], Path, MtreeWalker, String)}), a path whose trusted record
 * matches its lstat (same device, inode, type and mode, owner, link count, size, mtime and ctime)
 * is unchanged: the kernel moves the ctime on any change to content, mode, owner, xattrs or links,
 * so its mtree entry still describes it. Without one ({@link #diff(MtreeSource, Path, MtreeWalker,
 * DeferredContent)}: a bundle copied with new inodes, or unpacked by Go umoci) no path is vouched
 * for, and the mtree is parsed while the listing already runs. Every path not vouched for is
 * described in full ({@link MtreeWalker#describe}, which hashes regular files) and compared with
 * its old entry, on the thread that listed its directory, large files each as a task of their own,
 * so both cores hash while the tree is listed (see {@link SnapshotScan}); paths the mtree lacks are
 * extra, entries not found are missing. The result is what {@link MtreeCompare#compare} of the
 * mtree and a full walk gives, sorted by path (with a {@link DeferredContent}, once it has {@link
 * DeferredContent#complete completed} the entries it holds back). What a directory's listing keeps
 * once it is done is its deltas and the keys it saw.
 */
public final class SnapshotDiff {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotDiff.class);

  /** Regular files at least this large are described as tasks of their own (load balance). */
  static final long OWN_TASK_BYTES = 256 * 1024;

  private SnapshotDiff() {}

  /** The old side of a diff: the mtree's entries by key, and which of them still hold. */
  interface Baseline<R> {
    /**
     * Records by key: the mtree form of the path as an ISO-8859-1 string of its bytes; null while
     * they are still being made (the listing then compares later).
     */
    Map<String, R> records();

    /** True when {@code record} vouches that the path with lstat {@code stat} is unchanged. */
    boolean unchanged(R record, FileStat stat);

    /** The mtree entry of {@code record}, the /set defaults in force merged in. */
    MtreeEntry entry(R record, EntryPath path) throws MtreeFormatException;
  }

  /**
   * The deltas from the mtree file {@code mtree} to the tree at {@code rootfs} as {@code walker}
   * sees it, or null when {@code cache} is not bound to these bytes and {@code context}, or a
   * directory cannot be listed (the caller then walks in full).
   */
  public static List<InodeDelta> diff(
      DigestCache cache, byte[] mtree, Path rootfs, MtreeWalker walker, String context)
      throws IOException {
    return diff(cache, mtree, rootfs, walker, context, null);
  }

  /**
   * {@link #diff(DigestCache, byte[], Path, MtreeWalker, String)}; with {@code later}, regular
   * files whose delta does not depend on their content are not read (see {@link DeferredContent}).
   */
  public static List<InodeDelta> diff(
      DigestCache cache,
      byte[] mtree,
      Path rootfs,
      MtreeWalker walker,
      String context,
      DeferredContent later)
      throws IOException {
    if (!cache.isBoundTo(mtree, context)) {
      return null;
    }
    // A few hundred /set lines serve some twenty thousand entries: each is parsed once.
    Map<Integer, List<KeyVal>> sets = new ConcurrentHashMap<>();
    Map<String, DigestCache.Entry> records = cache.entries();
    Baseline<DigestCache.Entry> baseline =
        new Baseline<>() {
          @Override
          public Map<String, DigestCache.Entry> records() {
            return records;
          }

          @Override
          public boolean unchanged(DigestCache.Entry record, FileStat stat) {
            return record.matches(stat);
          }

          @Override
          public MtreeEntry entry(DigestCache.Entry record, EntryPath path)
              throws MtreeFormatException {
            List<KeyVal> set = sets.get(record.setLineStart());
            if (set == null) {
              set = MtreeSpec.setAt(mtree, record.setLineStart());
              sets.put(record.setLineStart(), set);
            }
            return MtreeSpec.entryAt(mtree, record.lineStart(), set, path);
          }
        };
    return diff(baseline, rootfs, walker, later, () -> {});
  }

  /**
   * The deltas from {@code spec} (the bundle's parsed mtree) to the tree at {@code rootfs} as
   * {@code walker} sees it, describing every path; null when a directory cannot be listed (the
   * caller then walks in full).
   */
  public static List<InodeDelta> diff(MtreeSpec spec, Path rootfs, MtreeWalker walker)
      throws IOException {
    return diff(spec, rootfs, walker, null);
  }

  /**
   * {@link #diff(MtreeSpec, Path, MtreeWalker)}; with {@code later}, regular files whose delta does
   * not depend on their content are not read (see {@link DeferredContent}).
   */
  public static List<InodeDelta> diff(
      MtreeSpec spec, Path rootfs, MtreeWalker walker, DeferredContent later) throws IOException {
    IndexedBaseline baseline = new IndexedBaseline();
    baseline.publish(MtreeIndex.of(spec));
    return diff(baseline, rootfs, walker, later, () -> {});
  }

  /**
   * As {@link #diff(MtreeSpec, Path, MtreeWalker)}, with the mtree parsed by {@code parse} on the
   * calling thread while the rootfs is already being listed and described on the pool (see {@link
   * SnapshotScan}), so that the listing does not wait for the parse; and, with {@code later},
   * regular files whose delta does not depend on their content left to the layer writer to hash
   * (see {@link DeferredContent}). A failed parse stops the listing and is thrown.
   */
  public static List<InodeDelta> diff(
      MtreeSource parse, Path rootfs, MtreeWalker walker, DeferredContent later)
      throws IOException {
    IndexedBaseline baseline = new IndexedBaseline();
    return diff(baseline, rootfs, walker, later, () -> baseline.publish(parse.parse()));
  }

  /** The bundle's mtree, parsed and checked, as an index of its entries. */
  @FunctionalInterface
  public interface MtreeSource {
    MtreeIndex parse() throws IOException;
  }

  /** A step run on the calling thread while the listing runs. */
  @FunctionalInterface
  private interface Step {
    void run() throws IOException;
  }

  /** Records by key from an index of the mtree: none until {@link #publish}. */
  private static final class IndexedBaseline implements Baseline<MtreeIndex.Line> {
    private volatile MtreeIndex index;

    void publish(MtreeIndex index) {
      this.index = index;
    }

    @Override
    public Map<String, MtreeIndex.Line> records() {
      MtreeIndex published = index;
      return published == null ? null : published.byKey();
    }

    @Override
    public boolean unchanged(MtreeIndex.Line record, FileStat stat) {
      return false;
    }

    @Override
    public MtreeEntry entry(MtreeIndex.Line record, EntryPath path) throws MtreeFormatException {
      return index.entry(record, path);
    }
  }

  private static <R> List<InodeDelta> diff(
      Baseline<R> baseline,
      Path rootfs,
      MtreeWalker walker,
      DeferredContent later,
      Step whileListing)
      throws IOException {
    SnapshotScan<R> scan = new SnapshotScan<>(baseline, walker, later);
    long started = System.nanoTime();
    try {
      scan.start(rootfs);
      whileListing.run();
      long parsed = System.nanoTime();
      scan.finish();
      LOG.debug(
          "snapshot diff: old mtree read in {} ms, listing done after {} ms ({} paths described"
              + " before the old mtree was read)",
          (parsed - started) / 1_000_000,
          (System.nanoTime() - started) / 1_000_000,
          scan.lateDescribed.sum());
    } catch (AccessDeniedException e) {
      scan.cancel();
      LOG.debug("rootfs not listable without help ({}); walking it in full", e.getMessage());
      return null;
    } catch (IOException | RuntimeException | Error e) {
      scan.cancel();
      throw e;
    }
    List<InodeDelta> out = scan.deltas;
    Map<String, R> records = baseline.records();
    Set<String> seen =
        scan.seen.size() == records.size() ? records.keySet() : new HashSet<>(scan.seen);
    int missing = 0;
    for (Map.Entry<String, R> e : records.entrySet()) {
      if (!seen.contains(e.getKey())) {
        EntryPath path = EntryPath.of(e.getKey().getBytes(StandardCharsets.ISO_8859_1));
        out.add(
            new InodeDelta(
                DeltaType.MISSING, path, baseline.entry(e.getValue(), path), null, List.of()));
        missing++;
      }
    }
    out.sort(Comparator.comparing(InodeDelta::path));
    LOG.debug(
        "snapshot diff: {} paths unchanged, {} described again, {} deltas, {} missing",
        scan.seen.size() - scan.described,
        scan.described,
        out.size(),
        missing);
    return out;
  }
}
