package dev.umoci.bundle;

import dev.umoci.errors.MtreeFormatException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.mtree.DeltaType;
import dev.umoci.mtree.EntryPath;
import dev.umoci.mtree.InodeDelta;
import dev.umoci.mtree.KeyDelta;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repack's fast path: the differences between a bundle's mtree and its rootfs, found through the
 * {@link DigestCache} bound to that mtree instead of walking, describing and comparing every entry.
 *
 * <p>The rootfs is listed and every path lstat'ed, nothing more. A path whose trusted record
 * matches its lstat (same device, inode, type and mode, owner, link count, size, mtime and ctime)
 * is unchanged: the kernel moves the ctime on any change to content, mode, owner, xattrs or links,
 * so its mtree entry still describes it. Every other path is described in full ({@link
 * MtreeWalker#describe}) and compared with its mtree entry, read from the two lines the record
 * points at; paths the mtree lacks are extra, records not found are missing. The result is what
 * {@link MtreeCompare#compare} of the mtree and a full walk gives.
 */
public final class SnapshotDiff {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotDiff.class);

  private static final int PARALLELISM = Math.max(2, Runtime.getRuntime().availableProcessors());

  private SnapshotDiff() {}

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
    Scan scan = new Scan(cache.entries());
    try {
      scan.visitRoot(rootfs);
    } catch (AccessDeniedException e) {
      LOG.debug("rootfs not listable without help ({}); walking it in full", e.getMessage());
      return null;
    }
    List<InodeDelta> out = new ArrayList<>();
    for (Found f : scan.changed) {
      EntryPath path = f.path();
      MtreeEntry old = oldEntry(mtree, cache.entries().get(f.key), path);
      MtreeEntry now = walker.describe(f.file, path, f.stat);
      List<KeyDelta> keys = MtreeCompare.compareEntries(old, now, walker.keywords());
      if (!keys.isEmpty()) {
        out.add(new InodeDelta(DeltaType.MODIFIED, path, old, now, keys));
      }
    }
    for (Found f : scan.extra) {
      EntryPath path = f.path();
      MtreeEntry now = walker.describe(f.file, path, f.stat);
      out.add(new InodeDelta(DeltaType.EXTRA, path, null, now, List.of()));
    }
    Set<String> seen =
        scan.seen.size() == cache.entries().size() ? cache.entries().keySet() : scan.seenSet();
    for (Map.Entry<String, DigestCache.Entry> e : cache.entries().entrySet()) {
      if (!seen.contains(e.getKey())) {
        EntryPath path = EntryPath.of(e.getKey().getBytes(StandardCharsets.ISO_8859_1));
        out.add(
            new InodeDelta(
                DeltaType.MISSING, path, oldEntry(mtree, e.getValue(), path), null, List.of()));
      }
    }
    out.sort(Comparator.comparing(InodeDelta::path));
    LOG.debug(
        "snapshot diff: {} paths unchanged, {} described again, {} extra, {} missing",
        scan.seen.size() - scan.changed.size(),
        scan.changed.size(),
        scan.extra.size(),
        cache.entries().size() - scan.seen.size());
    return out;
  }

  private static MtreeEntry oldEntry(byte[] mtree, DigestCache.Entry record, EntryPath path)
      throws MtreeFormatException {
    return MtreeSpec.entryAt(mtree, record.lineStart(), record.setLineStart(), path);
  }

  /** A path the records do not vouch for. */
  private record Found(String key, Path file, FileStat stat) {
    EntryPath path() {
      return EntryPath.of(key.getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  /**
   * One listing of the rootfs against the records. Directories are listed in parallel (one
   * fork-join task each); what a task finds goes to lists of its own, merged at the end.
   */
  private static final class Scan {
    private final Map<String, DigestCache.Entry> records;
    private final PosixFs fs = PosixFs.host();
    final List<String> seen = new ArrayList<>();
    final List<Found> changed = new ArrayList<>();
    final List<Found> extra = new ArrayList<>();

    Set<String> seenSet() {
      return new HashSet<>(seen);
    }

    Scan(Map<String, DigestCache.Entry> records) {
      this.records = records;
    }

    void visitRoot(Path rootfs) throws IOException {
      Listing root = new Listing(rootfs, "");
      root.check(".", rootfs, fs.lstat(rootfs));
      ForkJoinPool pool = new ForkJoinPool(PARALLELISM);
      try {
        pool.invoke(root);
      } finally {
        pool.shutdownNow();
      }
      root.collect(this);
    }

    /** Lists one directory, whose key with a trailing slash is {@code prefix} ("" for the root). */
    private final class Listing extends RecursiveAction {
      private final Path dir;
      private final String prefix;
      private final List<String> seenHere = new ArrayList<>();
      private final List<Found> changedHere = new ArrayList<>(0);
      private final List<Found> extraHere = new ArrayList<>(0);
      private final List<Listing> subdirectories = new ArrayList<>();
      private IOException failure;

      Listing(Path dir, String prefix) {
        this.dir = dir;
        this.prefix = prefix;
      }

      @Override
      protected void compute() {
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
        invokeAll(subdirectories);
      }

      void check(String key, Path file, FileStat st) {
        DigestCache.Entry record = records.get(key);
        if (record == null) {
          extraHere.add(new Found(key, file, st));
          return;
        }
        seenHere.add(key);
        if (!record.matches(st)) {
          changedHere.add(new Found(key, file, st));
        }
      }

      /** Adds what this listing and those below found to {@code scan}; rethrows a failure. */
      void collect(Scan scan) throws IOException {
        if (failure != null) {
          throw failure;
        }
        scan.seen.addAll(seenHere);
        scan.changed.addAll(changedHere);
        scan.extra.addAll(extraHere);
        for (Listing sub : subdirectories) {
          sub.collect(scan);
        }
      }
    }
  }
}
