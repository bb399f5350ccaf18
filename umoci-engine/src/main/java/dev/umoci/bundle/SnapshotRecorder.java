package dev.umoci.bundle;

import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.mtree.DigestKind;
import dev.umoci.mtree.EntryPath;
import dev.umoci.mtree.KeyVal;
import dev.umoci.mtree.MtreeEntry;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.mtree.MtreeWalker;
import dev.umoci.mtree.SpecLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the walk that makes a bundle's mtree and then writes the {@link DigestCache} bound to
 * that mtree: one record per entry line, with the lstat the line was made from, the line's offsets
 * and, for regular files, the line's {@code sha256digest}. Not thread-safe; one walk per recorder.
 */
final class SnapshotRecorder implements MtreeWalker.EntryObserver {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotRecorder.class);

  private record Seen(EntryPath path, FileStat stat, long statTakenAfterMillis) {}

  private final List<Seen> seen = new ArrayList<>();

  @Override
  public void entry(EntryPath path, FileStat stat, long statTakenAfterMillis) {
    seen.add(new Seen(path, stat, statTakenAfterMillis));
  }

  /**
   * Writes the cache of {@code bundle} for the mtree file holding {@code written}, the bytes of
   * {@code spec}, whose walk this recorder watched with settings {@code context}. When the walk and
   * the document disagree (which a walk never causes) an unbound, empty cache is written instead.
   */
  void save(
      Path bundle,
      MtreeSpec spec,
      MtreeSpec.Serialized written,
      String context,
      Path rootfs,
      MtreeWalker walker)
      throws IOException {
    Map<String, DigestCache.Entry> entries = records(spec, written, rootfs, walker);
    if (entries == null) {
      LOG.warn("mtree walk and document disagree; not caching the bundle's rootfs state");
      DigestCache.write(bundle, null, Map.of());
      return;
    }
    DigestCache.write(bundle, DigestCache.Binding.of(written.bytes(), context), entries);
  }

  private Map<String, DigestCache.Entry> records(
      MtreeSpec spec, MtreeSpec.Serialized written, Path rootfs, MtreeWalker walker)
      throws IOException {
    List<SpecLine> lines = spec.lines();
    Map<String, DigestCache.Entry> out = new HashMap<>(seen.size() * 2);
    int next = 0;
    int setLine = -1;
    for (int i = 0; i < lines.size(); i++) {
      SpecLine line = lines.get(i);
      if (line instanceof SpecLine.Special s) {
        if (s.isSet()) {
          setLine = written.lineStarts()[i];
        } else if (s.isUnset()) {
          setLine = -1;
        }
      } else if (line instanceof SpecLine.Entry e) {
        if (next >= seen.size() || e.full()) {
          return null;
        }
        Seen s = seen.get(next++);
        byte[] name = s.path().isRoot() ? new byte[] {'.'} : s.path().fileName();
        if (!Arrays.equals(name, e.name())) {
          return null;
        }
        byte[] sha256 = null;
        if (s.stat().isRegularFile()) {
          for (KeyVal kv : e.keyVals()) {
            if (kv.keyword().equals(DigestKind.SHA256.keyword()) && kv.hasValue()) {
              sha256 = HexFormat.of().parseHex(kv.value());
            }
          }
        }
        int lineStart = written.lineStarts()[i];
        boolean trusted =
            !DigestCache.racy(s.stat(), s.statTakenAfterMillis() * 1_000_000L)
                || confirmed(s, written.bytes(), lineStart, setLine, rootfs, walker);
        String key = new String(s.path().bytes(), StandardCharsets.ISO_8859_1);
        DigestCache.Entry record =
            new DigestCache.Entry(
                DigestCache.Key.of(s.stat()), trusted, lineStart, setLine, sha256);
        if (out.put(key, record) != null) {
          return null;
        }
      }
    }
    return next == seen.size() ? out : null;
  }

  /**
   * Whether an entry too new to trust when it was walked (typically a directory whose times were
   * set just before) can be trusted now: its timestamps are old enough by now, its lstat is still
   * the one walked, and described afresh it is still what its line says. A change after this check
   * moves its ctime past the recorded one.
   */
  private static boolean confirmed(
      Seen s, byte[] document, int lineStart, int setLine, Path rootfs, MtreeWalker walker)
      throws IOException {
    long before = System.currentTimeMillis();
    if (DigestCache.racy(s.stat(), before * 1_000_000L)) {
      return false;
    }
    Path file = s.path().under(rootfs);
    FileStat now;
    try {
      now = PosixFs.host().lstat(file);
    } catch (IOException e) {
      return false;
    }
    if (!DigestCache.Key.of(now).equals(DigestCache.Key.of(s.stat()))) {
      return false;
    }
    MtreeEntry written = MtreeSpec.entryAt(document, lineStart, setLine, s.path());
    return walker.describe(file, s.path(), now).equals(written);
  }
}
