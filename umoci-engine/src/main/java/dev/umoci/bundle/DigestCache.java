package dev.umoci.bundle;

import dev.umoci.fs.FileStat;
import dev.umoci.mtree.ContentDigester;
import dev.umoci.mtree.DigestKind;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this project remembers about a bundle's rootfs between commands, so that repack does not
 * read files, or even describe them, when they are unchanged. Go umoci ignores the file; a cache
 * that is missing, damaged or of another version is ignored and everything is walked and hashed
 * again (results never depend on the cache, only the time taken).
 *
 * <p>It holds one record per path: the lstat values seen, whether they can be trusted (see {@link
 * #racy}), and the file's SHA-256 for regular files. A cache may be <em>bound</em> to the bundle's
 * mtree file: then it has a record for every entry of that file, made from the same walk, with the
 * offsets of the entry's line and of the {@code /set} line in force, and it names the file by
 * length and CRC-32 and the walk by its settings (keywords, rootless access). A path whose trusted
 * record still matches its lstat is described by its mtree entry; see {@link SnapshotDiff}.
 *
 * <p>The file is {@code BUNDLE/umoci-java.digests}; {@link DigestCacheFormat} writes and reads it.
 *
 * <p>Racy entries are not trusted: a record is trusted only when the file's mtime and ctime are
 * older, by more than the filesystem's timestamp granularity, than a moment before the lstat it was
 * made from, so any later change moves the ctime. Times with a sub-second part come from a
 * filesystem with fine timestamps, updated per kernel tick (at most 10 ms): {@link
 * #FINE_MARGIN_NANOS} applies. Whole-second times may come from a filesystem with one-second (or
 * two-second) timestamps: {@link #COARSE_MARGIN_NANOS} applies.
 */
public final class DigestCache {
  private static final Logger LOG = LoggerFactory.getLogger(DigestCache.class);

  /** The cache file's name in the bundle directory. */
  public static final String FILE_NAME = "umoci-java.digests";

  static final long FINE_MARGIN_NANOS = 100_000_000L;
  static final long COARSE_MARGIN_NANOS = 3_000_000_000L;

  /** The lstat values a record was made from. */
  record Key(
      int mode,
      int uid,
      int gid,
      int nlink,
      long dev,
      long ino,
      long size,
      long mtimeNanos,
      long ctimeNanos) {
    static Key of(FileStat st) {
      return new Key(
          st.mode(),
          st.uid(),
          st.gid(),
          st.nlink(),
          st.dev(),
          st.ino(),
          st.size(),
          st.mtimeNanos(),
          st.ctimeNanos());
    }
  }

  /**
   * One path's record; {@code lineStart}/{@code setLineStart} locate its mtree entry in a bound
   * cache (-1 otherwise), {@code sha256} is null for anything but a hashed regular file.
   */
  record Entry(Key key, boolean trusted, int lineStart, int setLineStart, byte[] sha256) {
    boolean matches(FileStat stat) {
      return trusted && key.equals(Key.of(stat));
    }
  }

  /** The mtree file a cache describes, and the walk settings it was made with. */
  record Binding(long mtreeLength, int mtreeCrc32, String context) {
    static Binding of(byte[] mtree, String context) {
      CRC32 crc = new CRC32();
      crc.update(mtree);
      return new Binding(mtree.length, (int) crc.getValue(), context);
    }
  }

  private final Binding binding;

  /** Records read from disk, by path (ISO-8859-1 string of the path bytes). */
  private final Map<String, Entry> known;

  /** Digests seen or computed during this run; what {@link #save} writes. */
  private final Map<String, Entry> current;

  DigestCache(Binding binding, Map<String, Entry> known) {
    this.binding = binding;
    this.known = known;
    this.current = new ConcurrentHashMap<>(Math.max(16, known.size() * 2));
  }

  /** A cache with nothing in it. */
  public static DigestCache empty() {
    return new DigestCache(null, Map.of());
  }

  /** The cache of {@code bundle}; empty when there is none or it cannot be trusted. */
  public static DigestCache load(Path bundle) {
    Path file = bundle.resolve(FILE_NAME);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return empty();
    } catch (IOException e) {
      LOG.warn("ignoring unreadable digest cache {}: {}", file, e.getMessage());
      return empty();
    }
    try {
      return DigestCacheFormat.parse(bytes);
    } catch (IllegalArgumentException | BufferUnderflowException e) {
      LOG.warn("ignoring damaged digest cache {}: {}", file, e.getMessage());
      return empty();
    }
  }

  /** Removes the cache file of {@code bundle}, if any. */
  public static void delete(Path bundle) throws IOException {
    Files.deleteIfExists(bundle.resolve(FILE_NAME));
  }

  /** Number of records loaded from disk. */
  public int loadedEntries() {
    return known.size();
  }

  /**
   * True when this cache describes exactly the mtree file {@code mtree}, walked with {@code
   * context}.
   */
  public boolean isBoundTo(byte[] mtree, String context) {
    return binding != null
        && binding.mtreeLength() == mtree.length
        && binding.context().equals(context)
        && binding.equals(Binding.of(mtree, context));
  }

  /** The records by path (the mtree form of the path, as an ISO-8859-1 string of its bytes). */
  Map<String, Entry> entries() {
    return known;
  }

  /**
   * A digester for files under {@code rootfs} that answers sha256 from the cache when the file's
   * stat matches a trusted record and hashes (with {@code delegate}) otherwise, remembering what it
   * sees for {@link #save}. Other digest kinds always go to {@code delegate}.
   */
  public ContentDigester digester(Path rootfs, ContentDigester delegate) {
    return new ContentDigester() {
      @Override
      public Map<DigestKind, String> known(Path file, FileStat stat, Set<DigestKind> kinds) {
        Map<DigestKind, String> hit = cached(rootfs, file, stat, kinds);
        return hit != null ? hit : delegate.known(file, stat, kinds);
      }

      @Override
      public Map<DigestKind, String> digest(Path file, FileStat stat, Set<DigestKind> kinds)
          throws IOException {
        return lookup(rootfs, file, stat, kinds, delegate);
      }
    };
  }

  /** {@link #digester(Path, ContentDigester)} with the streaming digester. */
  public ContentDigester digester(Path rootfs) {
    return digester(rootfs, ContentDigester.streaming());
  }

  /** The sha256 from a trusted record matching {@code stat}, remembered for {@link #save}. */
  private Map<DigestKind, String> cached(
      Path rootfs, Path file, FileStat stat, Set<DigestKind> kinds) {
    if (known.isEmpty() || !kinds.equals(Set.of(DigestKind.SHA256))) {
      return null;
    }
    return cached(pathKey(rootfs, file), stat);
  }

  private Map<DigestKind, String> cached(String path, FileStat stat) {
    Entry hit = known.get(path);
    if (hit == null || hit.sha256() == null || !hit.matches(stat)) {
      return null;
    }
    current.put(path, digestOnly(hit.key(), hit.sha256()));
    Map<DigestKind, String> out = new EnumMap<>(DigestKind.class);
    out.put(DigestKind.SHA256, HexFormat.of().formatHex(hit.sha256()));
    return out;
  }

  private Map<DigestKind, String> lookup(
      Path rootfs, Path file, FileStat stat, Set<DigestKind> kinds, ContentDigester delegate)
      throws IOException {
    if (!kinds.equals(Set.of(DigestKind.SHA256))) {
      return delegate.digest(file, stat, kinds);
    }
    String path = pathKey(rootfs, file);
    Map<DigestKind, String> hit = cached(path, stat);
    if (hit != null) {
      return hit;
    }
    long started = System.currentTimeMillis() * 1_000_000L;
    Map<DigestKind, String> fresh = delegate.digest(file, stat, kinds);
    if (!racy(stat, started)) {
      byte[] sha = HexFormat.of().parseHex(fresh.get(DigestKind.SHA256));
      current.put(path, digestOnly(Key.of(stat), sha));
    }
    return fresh;
  }

  /**
   * Remembers for {@link #save} the SHA-256 {@code sha256} of {@code file} under {@code rootfs},
   * read from a moment after {@code readStartedNanos} (epoch nanoseconds, taken before the read
   * began) by a reader other than this cache's digester, unless {@code stat} is racy at that
   * moment.
   */
  void remember(Path rootfs, Path file, FileStat stat, byte[] sha256, long readStartedNanos) {
    if (!racy(stat, readStartedNanos)) {
      current.put(pathKey(rootfs, file), digestOnly(Key.of(stat), sha256));
    }
  }

  private static Entry digestOnly(Key key, byte[] sha256) {
    return new Entry(key, true, -1, -1, sha256);
  }

  /**
   * True when a change right after {@code statTakenAfterNanos} could leave {@code stat} as it is.
   */
  static boolean racy(FileStat stat, long statTakenAfterNanos) {
    long newest = Math.max(stat.mtimeNanos(), stat.ctimeNanos());
    boolean coarse =
        stat.mtimeNanos() % 1_000_000_000L == 0 && stat.ctimeNanos() % 1_000_000_000L == 0;
    long margin = coarse ? COARSE_MARGIN_NANOS : FINE_MARGIN_NANOS;
    return newest >= statTakenAfterNanos - margin;
  }

  /**
   * The key of {@code file} under {@code rootfs}: its bytes after the root's and a slash when they
   * start so (a path the listing resolved under the root), without building a relative path;
   * otherwise those of {@code rootfs.relativize(file)}.
   */
  static String pathKey(Path rootfs, Path file) {
    byte[] root = PathBytes.of(rootfs);
    byte[] bytes = PathBytes.of(file);
    int from = root.length + 1;
    if (bytes.length > from
        && bytes[root.length] == '/'
        && Arrays.equals(bytes, 0, root.length, root, 0, root.length)) {
      return new String(bytes, from, bytes.length - from, StandardCharsets.ISO_8859_1);
    }
    return new String(PathBytes.of(rootfs.relativize(file)), StandardCharsets.ISO_8859_1);
  }

  /**
   * Writes the digests seen during this run to {@code bundle}'s cache file, atomically, as an
   * unbound cache.
   */
  public void save(Path bundle) throws IOException {
    write(bundle, null, current);
  }

  /** Writes a cache bound to an mtree file (see {@link SnapshotRecorder}), atomically. */
  static void write(Path bundle, Binding binding, Map<String, Entry> entries) throws IOException {
    AtomicFiles.write(bundle.resolve(FILE_NAME), DigestCacheFormat.serialize(binding, entries));
  }

  /** The binding of a loaded cache, or null (tests). */
  Binding binding() {
    return binding;
  }
}
