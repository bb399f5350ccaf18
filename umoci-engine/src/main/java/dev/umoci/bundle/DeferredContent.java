package dev.umoci.bundle;

import dev.umoci.fs.FileStat;
import dev.umoci.layer.ContentObserver;
import dev.umoci.mtree.ContentDigester;
import dev.umoci.mtree.DeltaType;
import dev.umoci.mtree.DigestKind;
import dev.umoci.mtree.EntryPath;
import dev.umoci.mtree.InodeDelta;
import dev.umoci.mtree.MtreeCompare;
import dev.umoci.mtree.MtreeEntry;
import dev.umoci.mtree.MtreeWalker;
import dev.umoci.mtree.RecordedContentDigester;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Regular files that repack reads once, while writing them into the layer, instead of hashing them
 * first for the diff and reading them again for the layer. A file is held back when its delta does
 * not depend on its content: it is new (extra), or its size is not its old entry's (modified
 * whatever it holds). {@link SnapshotDiff} then gives its delta an entry without the content
 * checksum; the layer writer hashes what it writes ({@link #observer()}) and {@link #complete}
 * replaces each such entry by the full one, as a walk would have described it, and remembers the
 * checksum in the digest cache like any other. A held-back file that was not written (masked) keeps
 * its partial entry, and is not in the written list either.
 *
 * <p>{@link #add} is thread-safe (the diff's listing threads call it); the observer is called on
 * the layer writer's thread, {@link #complete} after it.
 */
public final class DeferredContent {
  private record Found(Path file, FileStat stat) {}

  private final Map<EntryPath, Found> held = new ConcurrentHashMap<>();
  private final RecordedContentDigester written =
      new RecordedContentDigester(ContentDigester.streaming());
  private volatile long writingStarted;
  private long misses;

  void add(EntryPath path, Path file, FileStat stat) {
    held.put(path, new Found(file, stat));
  }

  /** True when the content of {@code path} is to be hashed while it is written into the layer. */
  public boolean holds(EntryPath path) {
    return held.containsKey(path);
  }

  /**
   * Takes the SHA-256 of each held-back file the layer writer writes; call it when the writing
   * starts (the moment bounds when the files were read, for the digest cache's trust rule).
   */
  public ContentObserver observer() {
    writingStarted = System.currentTimeMillis() * 1_000_000L;
    return written::record;
  }

  /**
   * {@code deltas} with the entry of each held-back path completed: the checksum recorded while it
   * was written (or, if it was not, read now), and for a modified path its key deltas again. {@code
   * walker} and {@code cache} are the ones the diff was made with; the digests are remembered in
   * {@code cache} for its next save, files under {@code rootfs}.
   */
  public List<InodeDelta> complete(
      List<InodeDelta> deltas, MtreeWalker walker, DigestCache cache, Path rootfs)
      throws IOException {
    if (held.isEmpty()) {
      return deltas;
    }
    Set<DigestKind> kinds = walker.contentKinds();
    List<InodeDelta> out = new ArrayList<>(deltas.size());
    for (InodeDelta d : deltas) {
      Found f = d.type() == DeltaType.MISSING ? null : held.get(d.path());
      if (f == null) {
        out.add(d);
        continue;
      }
      Map<DigestKind, String> sums = written.known(f.file(), f.stat(), kinds);
      MtreeEntry now;
      if (sums != null && writingStarted != 0) {
        now = walker.withContent(d.newEntry(), sums);
        byte[] sha256 = HexFormat.of().parseHex(sums.get(DigestKind.SHA256));
        cache.remember(rootfs, f.file(), f.stat(), sha256, writingStarted);
      } else {
        misses++;
        now = walker.describe(f.file(), d.path(), f.stat());
      }
      out.add(
          d.type() == DeltaType.EXTRA
              ? new InodeDelta(DeltaType.EXTRA, d.path(), null, now, List.of())
              : new InodeDelta(
                  DeltaType.MODIFIED,
                  d.path(),
                  d.oldEntry(),
                  now,
                  MtreeCompare.compareEntries(d.oldEntry(), now, walker.keywords())));
    }
    return out;
  }

  /** How many held-back files {@link #complete} had to read because they were not written. */
  long hashedAgain() {
    return misses;
  }
}
