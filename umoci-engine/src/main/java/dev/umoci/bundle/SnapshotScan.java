package dev.umoci.bundle;

import dev.umoci.errors.MtreeFormatException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.mtree.ContentDigester;
import dev.umoci.mtree.DeltaType;
import dev.umoci.mtree.EntryPath;
import dev.umoci.mtree.InodeDelta;
import dev.umoci.mtree.KeyDelta;
import dev.umoci.mtree.MtreeCompare;
import dev.umoci.mtree.MtreeEntry;
import dev.umoci.mtree.MtreeWalker;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.LongAdder;

/**
 * One listing of a rootfs against a {@link SnapshotDiff.Baseline}, for {@link SnapshotDiff}.
 * Directories are listed in parallel (a fork-join task each, large files described in tasks of
 * their own); what a task finds goes to lists of its own, merged by {@link #collect} in no
 * particular order.
 *
 * <p>The baseline's records may still be on their way while the listing runs (the mtree is being
 * parsed on the calling thread): a path listed before they are is described in full and compared
 * once they are there, on the listing's thread when they arrived meanwhile, else by {@link
 * #collect}. Only entries described in that window are kept beyond their directory.
 *
 * <p>With a {@link DeferredContent}, a regular file whose delta does not depend on its content
 * (new, or of another size than its old entry) is described without reading it and left to the
 * layer writer to hash; see {@link DeferredContent}.
 */
final class SnapshotScan<R> {
  private static final int PARALLELISM = Math.max(2, Runtime.getRuntime().availableProcessors());

  private final SnapshotDiff.Baseline<R> baseline;
  private final MtreeWalker walker;
  private final DeferredContent later;
  private final boolean sizeCompared;
  private final PosixFs fs = PosixFs.host();
  private volatile boolean cancelled;

  /** Keys of the baseline's records found in the tree, gathered by {@link #collect}. */
  final List<String> seen = new ArrayList<>();

  /** The deltas found, gathered by {@link #collect}. */
  final List<InodeDelta> deltas = new ArrayList<>();

  /** How many paths were described, gathered by {@link #collect}. */
  int described;

  /** How many paths were described before the baseline's records were there. */
  final LongAdder lateDescribed = new LongAdder();

  /** What the root's listing and those below it found; set by {@link #start}. */
  private Listing root;

  private ForkJoinPool pool;

  SnapshotScan(SnapshotDiff.Baseline<R> baseline, MtreeWalker walker, DeferredContent later) {
    this.baseline = baseline;
    this.walker = walker;
    this.later = later;
    this.sizeCompared = walker.keywords().contains("size");
  }

  /** Starts listing {@code rootfs} on the pool's threads; {@link #finish} waits for it. */
  void start(Path rootfs) throws IOException {
    root = new Listing(rootfs, "");
    root.rootStat = fs.lstat(rootfs);
    pool = new ForkJoinPool(PARALLELISM);
    pool.execute(root);
  }

  /** Stops a listing whose result is no longer wanted (started tasks end at their directory). */
  void cancel() {
    cancelled = true;
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /**
   * Waits for the listing and gathers what it found into {@link #seen}, {@link #deltas} and {@link
   * #described}, comparing the paths described before the records were there; the baseline's
   * records must be there now.
   */
  void finish() throws IOException {
    try {
      root.join();
    } finally {
      pool.shutdownNow();
    }
    Map<String, R> records = baseline.records();
    if (records == null) {
      throw new IllegalStateException("the baseline's records are not there yet");
    }
    root.collect(this, records);
  }

  /** A path to describe and compare: its record is null when the mtree lacks it or is not known. */
  private record Pending<R>(String key, Path file, FileStat stat, boolean known, R record) {}

  /**
   * What describing a pending path gave: a delta or null, or an entry not compared yet; {@code
   * seen} is the key of a record found only when the path was described (listed before the records
   * were there), to count as seen.
   */
  private record Outcome(InodeDelta delta, String key, MtreeEntry uncompared, String seen) {
    Outcome(InodeDelta delta, String key, MtreeEntry uncompared) {
      this(delta, key, uncompared, null);
    }
  }

  /** Describes one large file on its own (a task that another core may steal). */
  private final class Describe extends RecursiveAction {
    private final Pending<R> pending;
    private Outcome outcome;
    private IOException failure;

    Describe(Pending<R> pending) {
      this.pending = pending;
    }

    @Override
    protected void compute() {
      try {
        outcome = outcome(pending);
      } catch (IOException e) {
        failure = e;
      }
    }
  }

  private Outcome outcome(Pending<R> p) throws IOException {
    EntryPath path = EntryPath.of(p.key().getBytes(StandardCharsets.ISO_8859_1));
    if (!p.known()) {
      Map<String, R> records = baseline.records();
      if (records == null) {
        lateDescribed.increment();
        return new Outcome(null, p.key(), walker.describe(p.file(), path, p.stat()));
      }
      // Listed before the records were there, described after: compared as if they had been.
      R record = records.get(p.key());
      if (record == null) {
        return outcome(new Pending<>(p.key(), p.file(), p.stat(), true, null), path);
      }
      Outcome known =
          baseline.unchanged(record, p.stat())
              ? new Outcome(null, null, null)
              : outcome(new Pending<>(p.key(), p.file(), p.stat(), true, record), path);
      return new Outcome(known.delta(), null, null, p.key());
    }
    return outcome(p, path);
  }

  /** The outcome of a path whose record, if any, was looked up ({@code p.known()}). */
  private Outcome outcome(Pending<R> p, EntryPath path) throws IOException {
    boolean regular = p.stat().isRegularFile() && later != null;
    if (p.record() == null) {
      if (regular) {
        later.add(path, p.file(), p.stat());
        MtreeEntry now = walker.describe(p.file(), path, p.stat(), ContentDigester.none());
        return new Outcome(new InodeDelta(DeltaType.EXTRA, path, null, now, List.of()), null, null);
      }
      MtreeEntry now = walker.describe(p.file(), path, p.stat());
      return new Outcome(new InodeDelta(DeltaType.EXTRA, path, null, now, List.of()), null, null);
    }
    MtreeEntry old = baseline.entry(p.record(), path);
    if (regular && sizeCompared && sizeDiffers(old, p.stat())) {
      later.add(path, p.file(), p.stat());
      MtreeEntry now = walker.describe(p.file(), path, p.stat(), ContentDigester.none());
      List<KeyDelta> keys = MtreeCompare.compareEntries(old, now, walker.keywords());
      return new Outcome(new InodeDelta(DeltaType.MODIFIED, path, old, now, keys), null, null);
    }
    return new Outcome(compared(path, old, walker.describe(p.file(), path, p.stat())), null, null);
  }

  /** True when {@code old} gives a size and it is not the size of the file now. */
  private static boolean sizeDiffers(MtreeEntry old, FileStat stat) {
    String size = old.value("size");
    return size != null && !size.equals(Long.toString(stat.size()));
  }

  private InodeDelta compared(EntryPath path, MtreeEntry old, MtreeEntry now)
      throws MtreeFormatException {
    List<KeyDelta> keys = MtreeCompare.compareEntries(old, now, walker.keywords());
    return keys.isEmpty() ? null : new InodeDelta(DeltaType.MODIFIED, path, old, now, keys);
  }

  /** The delta of a path described before the records were known (null: unchanged). */
  private InodeDelta resolve(String key, MtreeEntry now, Map<String, R> records, List<String> seen)
      throws MtreeFormatException {
    R record = records.get(key);
    if (record == null) {
      return new InodeDelta(DeltaType.EXTRA, now.path(), null, now, List.of());
    }
    seen.add(key);
    return compared(now.path(), baseline.entry(record, now.path()), now);
  }

  /** Lists one directory, whose key with a trailing slash is {@code prefix} ("" for the root). */
  private final class Listing extends RecursiveAction {
    private final Path dir;
    private final String prefix;
    private final List<String> seenHere = new ArrayList<>();
    private final List<InodeDelta> deltasHere = new ArrayList<>(0);
    private final List<Outcome> uncompared = new ArrayList<>(0);
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
      if (cancelled) {
        return;
      }
      if (rootStat != null) {
        check(".", dir, rootStat);
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
        for (Path child : children) {
          String key = prefix + new String(PathBytes.fileName(child), StandardCharsets.ISO_8859_1);
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
      Map<String, R> records = baseline.records();
      if (records == null) {
        pending.add(new Pending<>(key, file, st, false, null));
        return;
      }
      R record = records.get(key);
      if (record != null) {
        seenHere.add(key);
        if (baseline.unchanged(record, st)) {
          return;
        }
      }
      pending.add(new Pending<>(key, file, st, true, record));
    }

    /** Describes what this directory's listing found, large files as tasks of their own. */
    void describeAll() throws IOException {
      List<Describe> large = new ArrayList<>(0);
      for (Pending<R> p : pending) {
        if (ownTask(p)) {
          Describe d = new Describe(p);
          d.fork();
          large.add(d);
        }
      }
      IOException failed = null;
      for (Pending<R> p : pending) {
        if (!ownTask(p)) {
          try {
            add(outcome(p));
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
        if (d.outcome != null) {
          add(d.outcome);
        }
      }
      describedHere += pending.size();
      pending = new ArrayList<>(0);
      if (failed != null) {
        throw failed;
      }
    }

    private boolean ownTask(Pending<R> p) {
      return p.stat().isRegularFile() && p.stat().size() >= SnapshotDiff.OWN_TASK_BYTES;
    }

    private void add(Outcome outcome) throws MtreeFormatException {
      if (outcome.seen() != null) {
        seenHere.add(outcome.seen());
      }
      if (outcome.uncompared() != null) {
        Map<String, R> records = baseline.records();
        if (records == null) {
          uncompared.add(outcome);
          return;
        }
        outcome =
            new Outcome(
                resolve(outcome.key(), outcome.uncompared(), records, seenHere), null, null);
      }
      if (outcome.delta() != null) {
        deltasHere.add(outcome.delta());
      }
    }

    /** Adds what this listing and those below found to {@code scan}; rethrows a failure. */
    void collect(SnapshotScan<R> scan, Map<String, R> records) throws IOException {
      if (failure != null) {
        throw failure;
      }
      for (Outcome o : uncompared) {
        InodeDelta delta = resolve(o.key(), o.uncompared(), records, scan.seen);
        if (delta != null) {
          scan.deltas.add(delta);
        }
      }
      scan.seen.addAll(seenHere);
      scan.deltas.addAll(deltasHere);
      scan.described += describedHere;
      for (Listing sub : subdirectories) {
        sub.collect(scan, records);
      }
    }
  }
}
