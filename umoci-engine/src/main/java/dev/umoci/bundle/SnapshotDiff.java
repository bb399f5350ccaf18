package dev.umoci.bundle;

import dev.umoci.errors.MtreeFormatException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.mtree.DeltaType;
import dev.umoci.mtree.EntryPath;
import dev.umoci.mtree.InodeDelta;
import dev.umoci.mtree.KeyDelta;
import dev.umoci.mtree.KeyVal;
import dev.umoci.mtree.MtreeCompare;
import dev.umoci.mtree.MtreeEntry;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.mtree.MtreeWalker;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
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
 * so its mtree entry still describes it. Without one ({@link #diff(MtreeSpec, Path, MtreeWalker)}:
 * a bundle copied with new inodes, or unpacked by Go umoci) no path is vouched for. Every path not
 * vouched for is described in full ({@link MtreeWalker#describe}, which hashes regular files) and
 * compared with its old entry, on the thread that listed its directory, large files each as a task
 * of their own, so both cores hash while the tree is listed; paths the mtree lacks are extra,
 * entries not found are missing. The result is what {@link MtreeCompare#compare} of the mtree and a
 * full walk gives, sorted by path. What a directory's listing keeps once it is done is its deltas
 * and the keys it saw.
 */
public final class SnapshotDiff {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotDiff.class);

  private static final int PARALLELISM = Math.max(2, Runtime.getRuntime().availableProcessors());

  /** Regular files at least this large are described as tasks of their own (load balance). */
  static final long OWN_TASK_BYTES = 256 * 1024;

  private SnapshotDiff() {}

  /** The old side of a diff: the mtree's entries by key, and which of them still hold. */
  private interface Baseline<R> {
    /** Records by key: the mtree form of the path as an ISO-8859-1 string of its bytes. */
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
    if (!cache.isBoundTo(mtree, context)) {
      return null;
    }
    // A few hundred /set lines serve some twenty thousand entries: each is parsed once.
    Map<Integer, List<KeyVal>> sets = new ConcurrentHashMap<>();
    return diff(
        new Baseline<DigestCache.Entry>() {
          @Override
          public Map<String, DigestCache.Entry> records() {
            return cache.entries();
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
        },
        rootfs,
        walker);
  }

  /**
   * The deltas from {@code spec} (the bundle's parsed mtree) to the tree at {@code rootfs} as
   * {@code walker} sees it, describing every path; null when a directory cannot be listed (the
   * caller then walks in full).
   */
  public static List<InodeDelta> diff(MtreeSpec spec, Path rootfs, MtreeWalker walker)
      throws IOException {
    Map<EntryPath, MtreeEntry> byPath = spec.byPath();
    Map<String, MtreeEntry> records = new HashMap<>(byPath.size() * 2);
    for (Map.Entry<EntryPath, MtreeEntry> e : byPath.entrySet()) {
      records.put(new String(e.getKey().bytes(), StandardCharsets.ISO_8859_1), e.getValue());
    }
    return diff(
        new Baseline<MtreeEntry>() {
          @Override
          public Map<String, MtreeEntry> records() {
            return records;
          }

          @Override
          public boolean unchanged(MtreeEntry record, FileStat stat) {
            return false;
          }

          @Override
          public MtreeEntry entry(MtreeEntry record, EntryPath path) {
            return record;
          }
        },
        rootfs,
        walker);
  }

  private static <R> List<InodeDelta> diff(Baseline<R> baseline, Path rootfs, MtreeWalker walker)
      throws IOException {
    Scan<R> scan = new Scan<>(baseline, walker);
    try {
      scan.visitRoot(rootfs);
    } catch (AccessDeniedException e) {
      LOG.debug("rootfs not listable without help ({}); walking it in full", e.getMessage());
      return null;
    }
    List<InodeDelta> out = scan.deltas;
    Map<String, R> records = baseline.records();
    Set<String> seen = scan.seen.size() == records.size() ? records.keySet() : scan.seenSet();
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

  /**
   * One listing of the rootfs against the baseline. Directories are listed in parallel (one
   * fork-join task each, large files described in tasks of their own); what a task finds goes to
   * lists of its own, merged at the end in no particular order.
   */
  private static final class Scan<R> {
    private final Baseline<R> baseline;
    private final Map<String, R> records;
    private final MtreeWalker walker;
    private final PosixFs fs = PosixFs.host();
    final List<String> seen = new ArrayList<>();
    final List<InodeDelta> deltas = new ArrayList<>();
    int described;

    Scan(Baseline<R> baseline, MtreeWalker walker) {
      this.baseline = baseline;
      this.records = baseline.records();
      this.walker = walker;
    }

    Set<String> seenSet() {
      return new HashSet<>(seen);
    }

    void visitRoot(Path rootfs) throws IOException {
      Listing root = new Listing(rootfs, "");
      root.rootStat = fs.lstat(rootfs);
      ForkJoinPool pool = new ForkJoinPool(PARALLELISM);
      try {
        pool.invoke(root);
      } finally {
        pool.shutdownNow();
      }
      root.collect(this);
    }

    /** A path to describe and compare: its record is null when the mtree lacks it. */
    private record Pending<R>(String key, Path file, FileStat stat, R record) {}

    /** Describes one large file on its own (a task that another core may steal). */
    private final class Describe extends RecursiveAction {
      private final Pending<R> pending;
      private InodeDelta delta;
      private IOException failure;

      Describe(Pending<R> pending) {
        this.pending = pending;
      }

      @Override
      protected void compute() {
        try {
          delta = Scan.this.delta(pending);
        } catch (IOException e) {
          failure = e;
        }
      }
    }

    /** The delta for {@code p}, or null when its entry is unchanged. */
    InodeDelta delta(Pending<R> p) throws IOException {
      EntryPath path = EntryPath.of(p.key().getBytes(StandardCharsets.ISO_8859_1));
      MtreeEntry now = walker.describe(p.file(), path, p.stat());
      if (p.record() == null) {
        return new InodeDelta(DeltaType.EXTRA, path, null, now, List.of());
      }
      MtreeEntry old = baseline.entry(p.record(), path);
      List<KeyDelta> keys = MtreeCompare.compareEntries(old, now, walker.keywords());
      return keys.isEmpty() ? null : new InodeDelta(DeltaType.MODIFIED, path, old, now, keys);
    }

    /** Lists one directory, whose key with a trailing slash is {@code prefix} ("" for the root). */
    private final class Listing extends RecursiveAction {
      private final Path dir;
      private final String prefix;
      private final List<String> seenHere = new ArrayList<>();
      private final List<InodeDelta> deltasHere = new ArrayList<>(0);
      private List<Pending<R>> pending = new ArrayList<>(0);
      private final List<Listing> subdirectories = new ArrayList<>();
      private int describedHere;
      private IOException failure;

      /** The root's own lstat, for the root's listing only: it checks "." first. */
      FileStat rootStat;

      Listing(Path dir, String prefix) {
        this.dir = dir;
        this.prefix = prefix;
      }

      @Override
      protected void compute() {
        if (rootStat != null) {
          check(".", dir, rootStat);
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
          for (Path child : children) {
            String key =
                prefix + new String(PathBytes.fileName(child), StandardCharsets.ISO_8859_1);
            FileStat st = fs.lstat(child);
            check(key, child, st);
            if (st.isDirectory()) {
              subdirectories.add(new Listing(child, key + "/"));
            }
          }
        } catch (IOException e) {
          failure = e;
          return;
        }
        for (Listing sub : subdirectories) {
          sub.fork();
        }
        try {
          describeAll();
        } catch (IOException e) {
          failure = e;
        }
        for (Listing sub : subdirectories) {
          sub.join();
        }
      }

      void check(String key, Path file, FileStat st) {
        R record = records.get(key);
        if (record != null) {
          seenHere.add(key);
          if (baseline.unchanged(record, st)) {
            return;
          }
        }
        pending.add(new Pending<>(key, file, st, record));
      }

      /** Describes what this directory's listing found, large files as tasks of their own. */
      void describeAll() throws IOException {
        List<Describe> large = new ArrayList<>(0);
        for (Pending<R> p : pending) {
          if (p.stat().isRegularFile() && p.stat().size() >= OWN_TASK_BYTES) {
            Describe d = new Describe(p);
            d.fork();
            large.add(d);
          }
        }
        IOException failed = null;
        for (Pending<R> p : pending) {
          if (!(p.stat().isRegularFile() && p.stat().size() >= OWN_TASK_BYTES)) {
            try {
              add(delta(p));
            } catch (IOException e) {
              failed = failed == null ? e : failed;
            }
          }
        }
        for (Describe d : large) {
          d.join();
          if (d.failure != null && failed == null) {
            failed = d.failure;
          }
          add(d.delta);
        }
        describedHere += pending.size();
        pending = new ArrayList<>(0);
        if (failed != null) {
          throw failed;
        }
      }

      private void add(InodeDelta delta) {
        if (delta != null) {
          deltasHere.add(delta);
        }
      }

      /** Adds what this listing and those below found to {@code scan}; rethrows a failure. */
      void collect(Scan<R> scan) throws IOException {
        if (failure != null) {
          throw failure;
        }
        scan.seen.addAll(seenHere);
        scan.deltas.addAll(deltasHere);
        scan.described += describedHere;
        for (Listing sub : subdirectories) {
          sub.collect(scan);
        }
      }
    }
  }
}
