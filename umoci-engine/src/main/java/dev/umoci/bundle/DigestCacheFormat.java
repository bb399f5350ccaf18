package dev.umoci.bundle;

import dev.umoci.bundle.DigestCache.Binding;
import dev.umoci.bundle.DigestCache.Entry;
import dev.umoci.bundle.DigestCache.Key;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The file of a {@link DigestCache}: its writer and its strict reader, side by side so that they
 * cannot drift apart. The reader refuses anything the writer would not have written (a bad length,
 * unsorted or repeated paths, offsets that do not fit the binding, trailing bytes), and the whole
 * file is checked against its CRC-32 first.
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
 */
final class DigestCacheFormat {
  static final byte[] MAGIC = "UMOCI-JAVA-DIGESTS\n".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 2;
  private static final int MAX_PATH = 1 << 16;
  private static final int TRUSTED = 1;
  private static final int HAS_SHA256 = 2;
  private static final int FIXED_ENTRY_BYTES = 4 + 1 + 16 + 40 + 8;

  private DigestCacheFormat() {}

  /** The file holding {@code entries}, bound to {@code binding} (null: unbound). */
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

  /**
   * The cache in {@code bytes}; {@link IllegalArgumentException} or {@link
   * java.nio.BufferUnderflowException} when damaged.
   */
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
}
