package dev.umoci.bundle;

import dev.umoci.fs.FileStat;
import dev.umoci.fs.PathBytes;
import dev.umoci.mtree.ContentDigester;
import dev.umoci.mtree.DigestKind;
import dev.umoci.oci.spec.Digest;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent cache of file content digests beside a bundle, so that repack does not read files
 * whose path, device, inode, size, mtime and ctime are unchanged since they were last hashed. Go
 * umoci ignores the file; a cache that is missing, damaged or of another version is ignored and
 * everything is hashed again (results never depend on the cache, only the time taken).
 *
 * <p>File {@code BUNDLE/umoci-java.digests}, format version 1, all integers big-endian:
 *
 * <pre>
 *   magic    "UMOCI-JAVA-DIGESTS\n"            (19 bytes)
 *   version  int32 = 1
 *   count    int32
 *   count x  { pathLength int32, path bytes (relative to rootfs, mtree form),
 *              dev int64, ino int64, size int64, mtimeNanos int64, ctimeNanos int64,
 *              sha256 32 bytes }                 (entries sorted by path bytes, paths unique)
 *   checksum SHA-256 of every byte before it     (32 bytes)
 * </pre>
 *
 * <p>Racy entries are never stored: a digest is saved only when the file's mtime and ctime are
 * older than the moment its hashing started by at least {@link #RACY_MARGIN_NANOS} (2 s, more than
 * the coarsest timestamp granularity of Linux filesystems a rootfs lives on), so a change within
 * the same timestamp tick as the hashing cannot go unnoticed.
 */
public final class DigestCache {
  private static final Logger LOG = LoggerFactory.getLogger(DigestCache.class);

  /** The cache file's name in the bundle directory. */
  public static final String FILE_NAME = "umoci-java.digests";

  static final byte[] MAGIC = "UMOCI-JAVA-DIGESTS\n".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final long RACY_MARGIN_NANOS = 2_000_000_000L;
  private static final int MAX_PATH = 1 << 16;

  /** What a digest was computed for. */
  record Key(long dev, long ino, long size, long mtimeNanos, long ctimeNanos) {
    static Key of(FileStat st) {
      return new Key(st.dev(), st.ino(), st.size(), st.mtimeNanos(), st.ctimeNanos());
    }
  }

  record Entry(Key key, byte[] sha256) {}

  /** Entries read from disk, by path (ISO-8859-1 string of the path bytes). */
  private final Map<String, Entry> known;

  /** Entries seen or computed during this run; what {@link #save} writes. */
  private final Map<String, Entry> current = new ConcurrentHashMap<>();

  private DigestCache(Map<String, Entry> known) {
    this.known = known;
  }

  /** A cache with nothing in it. */
  public static DigestCache empty() {
    return new DigestCache(Map.of());
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
      return new DigestCache(parse(bytes));
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      LOG.warn("ignoring damaged digest cache {}: {}", file, e.getMessage());
      return empty();
    }
  }

  /** Removes the cache file of {@code bundle}, if any. */
  public static void delete(Path bundle) throws IOException {
    Files.deleteIfExists(bundle.resolve(FILE_NAME));
  }

  /** Number of entries loaded from disk. */
  public int loadedEntries() {
    return known.size();
  }

  /**
   * A digester for files under {@code rootfs} that answers sha256 from the cache when the file's
   * stat matches and hashes (with {@code delegate}) otherwise, remembering what it sees for {@link
   * #save}. Other digest kinds always go to {@code delegate}.
   */
  public ContentDigester digester(Path rootfs, ContentDigester delegate) {
    return (file, stat, kinds) -> lookup(rootfs, file, stat, kinds, delegate);
  }

  /** {@link #digester(Path, ContentDigester)} with the streaming digester. */
  public ContentDigester digester(Path rootfs) {
    return digester(rootfs, ContentDigester.streaming());
  }

  private Map<DigestKind, String> lookup(
      Path rootfs, Path file, FileStat stat, Set<DigestKind> kinds, ContentDigester delegate)
      throws IOException {
    if (!kinds.equals(Set.of(DigestKind.SHA256))) {
      return delegate.digest(file, stat, kinds);
    }
    String path = pathKey(rootfs, file);
    Key key = Key.of(stat);
    Entry hit = known.get(path);
    if (hit != null && hit.key().equals(key)) {
      current.put(path, hit);
      Map<DigestKind, String> out = new EnumMap<>(DigestKind.class);
      out.put(DigestKind.SHA256, HexFormat.of().formatHex(hit.sha256()));
      return out;
    }
    long started = System.currentTimeMillis() * 1_000_000L;
    Map<DigestKind, String> fresh = delegate.digest(file, stat, kinds);
    long newest = Math.max(stat.mtimeNanos(), stat.ctimeNanos());
    if (newest < started - RACY_MARGIN_NANOS) {
      current.put(path, new Entry(key, HexFormat.of().parseHex(fresh.get(DigestKind.SHA256))));
    }
    return fresh;
  }

  private static String pathKey(Path rootfs, Path file) {
    byte[] rel = PathBytes.of(rootfs.relativize(file));
    return new String(rel, StandardCharsets.ISO_8859_1);
  }

  /** Writes the entries seen during this run to {@code bundle}'s cache file, atomically. */
  public void save(Path bundle) throws IOException {
    AtomicFiles.write(bundle.resolve(FILE_NAME), serialize(current));
  }

  static byte[] serialize(Map<String, Entry> entries) throws IOException {
    List<String> paths = new ArrayList<>(entries.keySet());
    paths.sort(
        (a, b) ->
            Arrays.compareUnsigned(
                a.getBytes(StandardCharsets.ISO_8859_1), b.getBytes(StandardCharsets.ISO_8859_1)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + paths.size() * 96);
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(paths.size());
    for (String p : paths) {
      Entry e = entries.get(p);
      byte[] name = p.getBytes(StandardCharsets.ISO_8859_1);
      out.writeInt(name.length);
      out.write(name);
      out.writeLong(e.key().dev());
      out.writeLong(e.key().ino());
      out.writeLong(e.key().size());
      out.writeLong(e.key().mtimeNanos());
      out.writeLong(e.key().ctimeNanos());
      out.write(e.sha256());
    }
    out.flush();
    MessageDigest md = Digest.newSha256();
    md.update(bytes.toByteArray());
    out.write(md.digest());
    out.flush();
    return bytes.toByteArray();
  }

  static Map<String, Entry> parse(byte[] bytes) {
    if (bytes.length < MAGIC.length + 8 + 32) {
      throw new IllegalArgumentException("too short");
    }
    MessageDigest md = Digest.newSha256();
    md.update(bytes, 0, bytes.length - 32);
    if (!Arrays.equals(md.digest(), Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length))) {
      throw new IllegalArgumentException("checksum mismatch");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 32);
    byte[] magic = new byte[MAGIC.length];
    in.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IllegalArgumentException("not a digest cache");
    }
    int version = in.getInt();
    if (version != VERSION) {
      throw new IllegalArgumentException("unsupported version " + version);
    }
    int count = in.getInt();
    if (count < 0 || count > in.remaining() / (4 + 40 + 32)) {
      throw new IllegalArgumentException("bad entry count " + count);
    }
    Map<String, Entry> out = new java.util.HashMap<>(count * 2);
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
      Key key = new Key(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong());
      if (key.size() < 0) {
        throw new IllegalArgumentException("negative size");
      }
      byte[] sha = new byte[32];
      in.get(sha);
      out.put(new String(name, StandardCharsets.ISO_8859_1), new Entry(key, sha));
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("trailing bytes after " + count + " entries");
    }
    return out;
  }
}
