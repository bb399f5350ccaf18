package dev.umoci.bundle;

import dev.umoci.fs.FileStat;
import dev.umoci.mtree.ContentDigester;
import dev.umoci.mtree.DigestKind;
import dev.umoci.sys.PathBytes;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
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
 * <p>File {@code BUNDLE/umoci-java.digests}, format version 2, all integers big-endian:
 *
 * <pre>
 *   magic    "UMOCI-JAVA-DIGESTS\n"            (19 bytes)
 *   version  int32 = 2
 *   mtree    int64 length (-1: not bound), int32 CRC-32 of the mtree file
 *   context  int32 length, bytes
 *   count    int32
 *   count x  { int32 pathLength, path bytes (relative to rootfs, mtree form), byte flags
 *              (1: trusted, 2: has sha256), int32 mode, uid, gid, nlink,
 *              int64 dev, ino, size, mtimeNanos, ctimeNanos,
 *              int32 entry line offset, int32 /set line offset (-1: none; both -1 unbound),
 *              sha256 32 bytes when flagged }  (sorted by path bytes, paths unique)
 *   checksum int32 CRC-32 of every byte before it
 * </pre>
 *
 * <p>Racy entries are not trusted: a record is trusted only when the file's mtime and ctime are
 * older, by more than the filesystem's timestamp granularity, than a moment before the lstat it was
 * made from, so any later change moves the ctime. Times with a sub-second part come from a
 * filesystem with fine timestamps, updated per kernel tick (at most 10 ms): {@link
 * #FINE_MARGIN_NANOS} applies. Whole-second times may come from a filesystem with one-second (or
 * two-second) timestamps: {@link #COARSE_MARGIN_NANOS} applies.
 *
 * <p>Why one class of over 400 lines: the file format's writer and its strict parser are kept side
 * by side so that they cannot drift apart, and the trust rules (racy entries, bindings) are what
 * both enforce.
 */
public final class DigestCache {
  private static final Logger LOG = LoggerFactory.getLogger(DigestCache.class);

  /** The cache file's name in the bundle directory. */
  public static final String FILE_NAME = "umoci-java.digests";

  static final byte[] MAGIC = "UMOCI-JAVA-DIGESTS\n".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 2;
  static final long FINE_MARGIN_NANOS = 100_000_000L;
  static final long COARSE_MARGIN_NANOS = 3_000_000_000L;
  private static final int MAX_PATH = 1 << 16;
  private static final int TRUSTED = 1;
  private static final int HAS_SHA256 = 2;
  private static final int FIXED_ENTRY_BYTES = 4 + 1 + 16 + 40 + 8;

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

  private DigestCache(Binding binding, Map<String, Entry> known) {
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
      return parse(bytes);
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

  private static String pathKey(Path rootfs, Path file) {
    byte[] rel = PathBytes.of(rootfs.relativize(file));
    return new String(rel, StandardCharsets.ISO_8859_1);
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
    AtomicFiles.write(bundle.resolve(FILE_NAME), serialize(binding, entries));
  }

  static byte[] serialize(Binding binding, Map<String, Entry> entries) throws IOException {
    // Keys are ISO-8859-1 strings of path bytes: their natural order is unsigned byte order.
    List<String> paths = new ArrayList<>(entries.keySet());
    paths.sort(null);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + paths.size() * 128);
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(binding == null ? -1 : binding.mtreeLength());
    out.writeInt(binding == null ? 0 : binding.mtreeCrc32());
    byte[] context = (binding == null ? "" : binding.context()).getBytes(StandardCharsets.UTF_8);
    out.writeInt(context.length);
    out.write(context);
    out.writeInt(paths.size());
    for (String p : paths) {
      Entry e = entries.get(p);
      byte[] name = p.getBytes(StandardCharsets.ISO_8859_1);
      out.writeInt(name.length);
      out.write(name);
      out.writeByte((e.trusted() ? TRUSTED : 0) | (e.sha256() != null ? HAS_SHA256 : 0));
      Key k = e.key();
      out.writeInt(k.mode());
      out.writeInt(k.uid());
      out.writeInt(k.gid());
      out.writeInt(k.nlink());
      out.writeLong(k.dev());
      out.writeLong(k.ino());
      out.writeLong(k.size());
      out.writeLong(k.mtimeNanos());
      out.writeLong(k.ctimeNanos());
      out.writeInt(e.lineStart());
      out.writeInt(e.setLineStart());
      if (e.sha256() != null) {
        out.write(e.sha256());
      }
    }
    out.flush();
    CRC32 crc = new CRC32();
    crc.update(bytes.toByteArray());
    out.writeInt((int) crc.getValue());
    out.flush();
    return bytes.toByteArray();
  }

  static DigestCache parse(byte[] bytes) {
    if (bytes.length < MAGIC.length + 4 + 12 + 4 + 4 + 4) {
      throw new IllegalArgumentException("too short");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if ((int) crc.getValue() != in.getInt(bytes.length - 4)) {
      throw new IllegalArgumentException("checksum mismatch");
    }
    in.limit(bytes.length - 4);
    byte[] magic = new byte[MAGIC.length];
    in.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IllegalArgumentException("not a digest cache");
    }
    int version = in.getInt();
    if (version != VERSION) {
      throw new IllegalArgumentException("unsupported version " + version);
    }
    long mtreeLength = in.getLong();
    int mtreeCrc = in.getInt();
    int contextLength = in.getInt();
    if (contextLength < 0 || contextLength > in.remaining()) {
      throw new IllegalArgumentException("bad context length " + contextLength);
    }
    byte[] context = new byte[contextLength];
    in.get(context);
    if (mtreeLength < -1) {
      throw new IllegalArgumentException("bad mtree length " + mtreeLength);
    }
    Binding binding =
        mtreeLength < 0
            ? null
            : new Binding(mtreeLength, mtreeCrc, new String(context, StandardCharsets.UTF_8));
    int count = in.getInt();
    if (count < 0 || count > in.remaining() / FIXED_ENTRY_BYTES) {
      throw new IllegalArgumentException("bad entry count " + count);
    }
    Map<String, Entry> out = new HashMap<>(count * 2);
    byte[] previous = null;
    for (int i = 0; i < count; i++) {
      int len = in.getInt();
      if (len <= 0 || len > MAX_PATH) {
        throw new IllegalArgumentException("bad path length " + len);
      }
      byte[] name = new byte[len];
      in.get(name);
      if (previous != null && Arrays.compareUnsigned(previous, name) >= 0) {
        throw new IllegalArgumentException("entries not sorted or not unique");
      }
      previous = name;
      int flags = in.get();
      if ((flags & ~(TRUSTED | HAS_SHA256)) != 0) {
        throw new IllegalArgumentException("bad flags " + flags);
      }
      Key key =
          new Key(
              in.getInt(),
              in.getInt(),
              in.getInt(),
              in.getInt(),
              in.getLong(),
              in.getLong(),
              in.getLong(),
              in.getLong(),
              in.getLong());
      if (key.size() < 0) {
        throw new IllegalArgumentException("negative size");
      }
      int lineStart = in.getInt();
      int setLineStart = in.getInt();
      boolean located = lineStart >= 0 && setLineStart >= -1 && lineStart < mtreeLength;
      boolean unlocated = lineStart == -1 && setLineStart == -1;
      if (binding == null ? !unlocated : !located) {
        throw new IllegalArgumentException("bad mtree offsets for entry " + i);
      }
      byte[] sha = null;
      if ((flags & HAS_SHA256) != 0) {
        sha = new byte[32];
        in.get(sha);
      }
      out.put(
          new String(name, StandardCharsets.ISO_8859_1),
          new Entry(key, (flags & TRUSTED) != 0, lineStart, setLineStart, sha));
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("trailing bytes after " + count + " entries");
    }
    return new DigestCache(binding, out);
  }

  /** The binding of a loaded cache, or null (tests). */
  Binding binding() {
    return binding;
  }
}
