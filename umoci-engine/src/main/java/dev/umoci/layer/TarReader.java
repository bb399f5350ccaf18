package dev.umoci.layer;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.LimitExceededException;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.sys.PathBytes;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streaming tar reader for ustar, GNU and PAX archives that keeps names, link targets and xattr
 * values as raw bytes.
 *
 * <p>Call {@link #next()} until it returns null; while positioned on a regular file, {@link
 * #content()} yields exactly its {@link TarEntry#size()} bytes. After the end-of-archive marker,
 * {@link #drain()} consumes whatever follows in the stream (GNU tar pads to a 10 KiB record), so a
 * digest computed over the underlying stream covers it all. Unknown entry types are skipped with a
 * warning. Malformed input raises {@link InvalidImageException} naming the entry or offset.
 *
 * <p>Hostile input is bounded by {@link InputLimits}: the size of each PAX or GNU long-name header,
 * the global PAX records in force, name and link lengths, the bytes of the whole stream and the
 * number of entries; going over one raises {@link LimitExceededException} naming it. As in Go's
 * archive/tar, a PAX {@code x} header applies to the next entry only and a second {@code x} header
 * before that entry replaces the first (they do not accumulate); {@code g} records stay in force
 * until changed, as POSIX says.
 */
public final class TarReader implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(TarReader.class);
  private static final int BLOCK = 512;

  private static final int NAME = 0;
  private static final int MODE = 100;
  private static final int UID = 108;
  private static final int GID = 116;
  private static final int SIZE = 124;
  private static final int MTIME = 136;
  private static final int CHKSUM = 148;
  private static final int TYPEFLAG = 156;
  private static final int LINKNAME = 157;
  private static final int MAGIC = 257;
  private static final int DEVMAJOR = 329;
  private static final int DEVMINOR = 337;
  private static final int PREFIX = 345;
  private static final int GNU_ATIME = 345;
  private static final int GNU_CTIME = 357;

  private final InputStream in;
  private final byte[] block = new byte[BLOCK];
  private final InputLimits limits;
  private final Map<String, byte[]> globalPax = new LinkedHashMap<>();
  private long globalPaxBytes;
  private long entries;
  private long offset;
  private long remaining;
  private long padding;
  private boolean ended;
  private TarEntry current;
  private ContentStream content;

  /** Reads from {@code in}; the reader buffers it, so read the rest only through {@link #drain}. */
  public TarReader(InputStream in) {
    this(in, InputLimits.defaults());
  }

  /** Reads from {@code in} within {@code limits}. */
  public TarReader(InputStream in, InputLimits limits) {
    this.in = new BufferedInputStream(in, 1 << 16);
    this.limits = limits;
  }

  /** The next entry, or null at the end of the archive. */
  public TarEntry next() throws IOException {
    if (ended) {
      return null;
    }
    skipContent();
    Map<String, byte[]> localPax = null;
    byte[] longName = null;
    byte[] longLink = null;
    while (true) {
      long headerOffset = offset;
      if (!readBlock(true)) {
        return end();
      }
      if (isZero(block)) {
        if (!readBlock(true) || isZero(block)) {
          return end();
        }
        throw new InvalidImageException(
            "invalid tar archive: data after a single zero block at offset " + headerOffset);
      }
      verifyChecksum(headerOffset);
      byte typeflag = block[TYPEFLAG];
      long size = number(SIZE, 12, "size", headerOffset);
      if (typeflag == 'x' || typeflag == 'g' || typeflag == 'L' || typeflag == 'K') {
        byte[] data = readSpecial(size, headerOffset, (char) typeflag);
        switch (typeflag) {
          case 'x' -> localPax = PaxRecords.parse(data, "at offset " + headerOffset);
          case 'g' ->
              mergeGlobal(PaxRecords.parse(data, "at offset " + headerOffset), headerOffset);
          case 'L' -> longName = stripNuls(data);
          default -> longLink = stripNuls(data);
        }
        continue;
      }
      if (++entries > limits.maxLayerEntries()) {
        throw InputLimits.exceeded(
            "tar archive has more than " + limits.maxLayerEntries() + " entries",
            limits.maxLayerEntries(),
            InputLimits.LAYER_ENTRIES);
      }
      TarEntry entry = buildEntry(typeflag, size, headerOffset, localPax, longName, longLink);
      if (entry == null) {
        localPax = null;
        longName = null;
        longLink = null;
        continue;
      }
      current = entry;
      content = new ContentStream(entry);
      return entry;
    }
  }

  /** The content of the current entry; empty for anything but regular files. */
  public InputStream content() {
    if (content == null) {
      throw new IllegalStateException("no current tar entry");
    }
    return content;
  }

  /**
   * Consumes everything left in the stream (after the end marker this is trailing padding or junk).
   *
   * @return the number of bytes consumed after the current position
   */
  public long drain() throws IOException {
    long n = 0;
    byte[] buf = new byte[1 << 16];
    int r;
    while ((r = in.read(buf)) > 0) {
      n += r;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private TarEntry end() {
    ended = true;
    current = null;
    content = null;
    return null;
  }

  private TarEntry buildEntry(
      byte typeflag,
      long size,
      long headerOffset,
      Map<String, byte[]> localPax,
      byte[] longName,
      byte[] longLink)
      throws IOException {
    boolean ustar = matches(MAGIC, "ustar\0");
    boolean gnu = matches(MAGIC, "ustar ");
    byte[] name = TarNumbers.string(block, NAME, 100);
    if (ustar) {
      byte[] prefix = TarNumbers.string(block, PREFIX, 155);
      if (prefix.length > 0) {
        byte[] joined = new byte[prefix.length + 1 + name.length];
        System.arraycopy(prefix, 0, joined, 0, prefix.length);
        joined[prefix.length] = '/';
        System.arraycopy(name, 0, joined, prefix.length + 1, name.length);
        name = joined;
      }
    }
    if (longName != null) {
      name = longName;
    }
    byte[] link = longLink != null ? longLink : TarNumbers.string(block, LINKNAME, 100);

    Map<String, byte[]> pax;
    if (localPax == null) {
      pax = globalPax;
    } else if (globalPax.isEmpty()) {
      pax = localPax;
    } else {
      pax = new LinkedHashMap<>(globalPax);
      pax.putAll(localPax);
    }
    byte[] paxPath = pax.get(PaxRecords.PATH);
    if (paxPath != null && paxPath.length > 0) {
      name = paxPath;
    }
    byte[] paxLink = pax.get(PaxRecords.LINKPATH);
    if (paxLink != null && paxLink.length > 0) {
      link = paxLink;
    }
    if (name.length > limits.maxNameBytes()) {
      throw InputLimits.exceeded(
          "tar entry at offset " + headerOffset + " has a name of " + name.length + " bytes",
          limits.maxNameBytes(),
          InputLimits.NAME);
    }
    if (link.length > limits.maxLinkBytes()) {
      throw InputLimits.exceeded(
          "tar entry at offset " + headerOffset + " has a link target of " + link.length + " bytes",
          limits.maxLinkBytes(),
          InputLimits.LINK);
    }
    String what = PathBytes.escape(name);

    TarEntry.Type type;
    switch (typeflag) {
      case 0, '0', '7' -> {
        type =
            typeflag == 0 && name.length > 0 && name[name.length - 1] == '/'
                ? TarEntry.Type.DIRECTORY
                : TarEntry.Type.REGULAR;
      }
      case '1' -> type = TarEntry.Type.HARDLINK;
      case '2' -> type = TarEntry.Type.SYMLINK;
      case '3' -> type = TarEntry.Type.CHAR_DEVICE;
      case '4' -> type = TarEntry.Type.BLOCK_DEVICE;
      case '5' -> type = TarEntry.Type.DIRECTORY;
      case '6' -> type = TarEntry.Type.FIFO;
      case 'S' ->
          throw new InvalidImageException(
              "tar entry " + what + ": GNU sparse files are not supported");
      default -> {
        type = null;
      }
    }
    for (String key : pax.keySet()) {
      if (key.startsWith(PaxRecords.GNU_SPARSE)) {
        throw new InvalidImageException(
            "tar entry " + what + ": PAX sparse files are not supported");
      }
    }

    long mode = number(MODE, 8, "mode", headerOffset);
    long uid = number(UID, 8, "uid", headerOffset);
    long gid = number(GID, 8, "gid", headerOffset);
    long mtime = number(MTIME, 12, "mtime", headerOffset) * 1_000_000_000L;
    long atime = TarEntry.NO_TIME;
    long ctime = TarEntry.NO_TIME;
    if (gnu) {
      long a = number(GNU_ATIME, 12, "atime", headerOffset);
      long c = number(GNU_CTIME, 12, "ctime", headerOffset);
      atime = a == 0 ? TarEntry.NO_TIME : a * 1_000_000_000L;
      ctime = c == 0 ? TarEntry.NO_TIME : c * 1_000_000_000L;
    }
    long devMajor = 0;
    long devMinor = 0;
    if (ustar || gnu) {
      devMajor = number(DEVMAJOR, 8, "devmajor", headerOffset);
      devMinor = number(DEVMINOR, 8, "devminor", headerOffset);
    }

    TreeMap<String, byte[]> xattrs = new TreeMap<>();
    for (Map.Entry<String, byte[]> rec : pax.entrySet()) {
      String key = rec.getKey();
      byte[] value = rec.getValue();
      switch (key) {
        case PaxRecords.SIZE -> size = paxNumber(value, key, what, size);
        case PaxRecords.UID -> uid = paxNumber(value, key, what, uid);
        case PaxRecords.GID -> gid = paxNumber(value, key, what, gid);
        case PaxRecords.MTIME -> mtime = paxTime(value, key, what, mtime);
        case PaxRecords.ATIME -> atime = paxTime(value, key, what, atime);
        case PaxRecords.CTIME -> ctime = paxTime(value, key, what, ctime);
        default -> {
          if (key.startsWith(PaxRecords.LIBARCHIVE_XATTR)) {
            String xname = urlDecode(key.substring(PaxRecords.LIBARCHIVE_XATTR.length()), what);
            byte[] decoded;
            try {
              decoded = Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException e) {
              throw new InvalidImageException(
                  "tar entry " + what + ": invalid base64 value for xattr " + xname);
            }
            addXattr(xattrs, xname, decoded, what, false);
          }
        }
      }
    }
    // SCHILY records win over LIBARCHIVE ones for the same attribute.
    for (Map.Entry<String, byte[]> rec : pax.entrySet()) {
      if (rec.getKey().startsWith(PaxRecords.SCHILY_XATTR)) {
        String xname = rec.getKey().substring(PaxRecords.SCHILY_XATTR.length());
        addXattr(xattrs, xname, rec.getValue(), what, true);
      }
    }

    boolean headerOnly = type != null && type != TarEntry.Type.REGULAR;
    long dataSize = headerOnly ? 0 : size;
    if (dataSize < 0) {
      throw new InvalidImageException("tar entry " + what + ": negative size " + size);
    }
    padding = (BLOCK - (dataSize % BLOCK)) % BLOCK;
    checkLayerSize(dataSize, "tar entry " + what); // first alone: dataSize + padding may overflow
    checkLayerSize(dataSize + padding, "tar entry " + what);
    remaining = dataSize;
    if (type == null) {
      LOG.warn(
          "tar entry {}: skipping entry of unknown type '{}'",
          what,
          PathBytes.escape(new byte[] {typeflag}));
      skipContent();
      return null;
    }

    TarEntry.Builder b =
        TarEntry.builder(type, name)
            .linkName(
                type == TarEntry.Type.HARDLINK || type == TarEntry.Type.SYMLINK
                    ? link
                    : new byte[0])
            .mode((int) (mode & 07777))
            .owner(uid, gid)
            .size(type == TarEntry.Type.REGULAR ? size : 0)
            .mtimeNanos(mtime)
            .atimeNanos(atime)
            .ctimeNanos(ctime)
            .device(devMajor, devMinor);
    xattrs.forEach(b::xattr);
    return b.build();
  }

  private static void addXattr(
      Map<String, byte[]> xattrs, String name, byte[] value, String what, boolean override) {
    if (name.isEmpty()) {
      LOG.warn("tar entry {}: ignoring xattr record with an empty name", what);
      return;
    }
    if (value.length == 0) {
      LOG.warn("tar entry {}: ignoring empty-valued xattr {} (disallowed by PAX)", what, name);
      return;
    }
    if (override || !xattrs.containsKey(name)) {
      xattrs.put(name, value);
    }
  }

  private static String urlDecode(String s, String what) throws InvalidImageException {
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[raw.length];
    int n = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '%') {
        if (i + 2 >= raw.length) {
          throw new InvalidImageException("tar entry " + what + ": bad xattr name escape " + s);
        }
        int hi = Character.digit(raw[i + 1], 16);
        int lo = Character.digit(raw[i + 2], 16);
        if (hi < 0 || lo < 0) {
          throw new InvalidImageException("tar entry " + what + ": bad xattr name escape " + s);
        }
        out[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else {
        out[n++] = raw[i];
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private static long paxNumber(byte[] value, String key, String what, long fallback)
      throws InvalidImageException {
    return paxValue(value, key, what, fallback, PaxRecords::parseDecimal);
  }

  private static long paxTime(byte[] value, String key, String what, long fallback)
      throws InvalidImageException {
    return paxValue(value, key, what, fallback, PaxRecords::parseTime);
  }

  /** {@code fallback} for an empty PAX value, else {@code parser}'s result (null = invalid). */
  private static long paxValue(
      byte[] value,
      String key,
      String what,
      long fallback,
      java.util.function.Function<byte[], Long> parser)
      throws InvalidImageException {
    if (value.length == 0) {
      return fallback;
    }
    Long v = parser.apply(value);
    if (v == null) {
      throw new InvalidImageException(
          "tar entry "
              + what
              + ": invalid PAX "
              + key
              + " value \""
              + PathBytes.escape(value)
              + "\"");
    }
    return v;
  }

  private void mergeGlobal(Map<String, byte[]> records, long headerOffset)
      throws LimitExceededException {
    for (Map.Entry<String, byte[]> r : records.entrySet()) {
      byte[] old =
          r.getValue().length == 0
              ? globalPax.remove(r.getKey())
              : globalPax.put(r.getKey(), r.getValue());
      long keyBytes = r.getKey().getBytes(StandardCharsets.UTF_8).length;
      if (old != null) {
        globalPaxBytes -= keyBytes + old.length;
      }
      if (r.getValue().length != 0) {
        globalPaxBytes += keyBytes + r.getValue().length;
      }
    }
    if (globalPaxBytes > limits.maxGlobalPaxBytes()) {
      throw InputLimits.exceeded(
          "global PAX header at offset "
              + headerOffset
              + " brings the global records in force to "
              + globalPaxBytes
              + " bytes",
          limits.maxGlobalPaxBytes(),
          InputLimits.GLOBAL_PAX);
    }
  }

  /** Refuses to read {@code more} bytes when that takes the stream past the layer size limit. */
  private void checkLayerSize(long more, String what) throws LimitExceededException {
    if (more > limits.maxLayerBytes() - offset) {
      throw InputLimits.exceeded(
          what
              + " at offset "
              + offset
              + " takes the uncompressed layer past "
              + limits.maxLayerBytes()
              + " bytes",
          limits.maxLayerBytes(),
          InputLimits.LAYER_SIZE);
    }
  }

  private byte[] readSpecial(long size, long headerOffset, char kind) throws IOException {
    if (size > limits.maxPaxHeaderBytes()) {
      throw InputLimits.exceeded(
          "'" + kind + "' header at offset " + headerOffset + " has size " + size,
          limits.maxPaxHeaderBytes(),
          InputLimits.PAX);
    }
    if (size < 0) {
      throw new InvalidImageException(
          "invalid tar archive: '"
              + kind
              + "' header at offset "
              + headerOffset
              + " has a negative size "
              + size);
    }
    long pad = (BLOCK - (size % BLOCK)) % BLOCK;
    checkLayerSize(size + pad, "'" + kind + "' header");
    byte[] data = in.readNBytes((int) size);
    if (data.length != size || skipBytes(pad) != pad) {
      throw truncated("'" + kind + "' header at offset " + headerOffset);
    }
    offset += size + pad;
    return data;
  }

  private void skipContent() throws IOException {
    if (content != null) {
      content.skipRest();
    } else if (remaining > 0) {
      skipExactly(remaining, "entry content");
      remaining = 0;
    }
    if (padding > 0) {
      skipExactly(padding, "entry padding");
      padding = 0;
    }
    content = null;
    current = null;
  }

  private void skipExactly(long n, String what) throws IOException {
    long skipped = skipBytes(n);
    offset += skipped;
    if (skipped != n) {
      throw truncated(what);
    }
  }

  private long skipBytes(long n) throws IOException {
    long left = n;
    byte[] buf = null;
    while (left > 0) {
      long s = in.skip(left);
      if (s <= 0) {
        if (buf == null) {
          buf = new byte[(int) Math.min(1 << 16, left)];
        }
        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          break;
        }
        s = r;
      }
      left -= s;
    }
    return n - left;
  }

  /** Reads one block; false at a clean end of stream, error on a partial block. */
  private boolean readBlock(boolean eofAllowed) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0 && eofAllowed) {
      return false;
    }
    if (n != BLOCK) {
      throw truncated("header at offset " + offset);
    }
    checkLayerSize(BLOCK, "tar header");
    offset += BLOCK;
    return true;
  }

  private void verifyChecksum(long headerOffset) throws InvalidImageException {
    Long stored = TarNumbers.parse(block, CHKSUM, 8);
    if (stored == null || (stored != unsignedChecksum(block) && stored != signedChecksum(block))) {
      throw new InvalidImageException(
          "invalid tar header checksum at offset "
              + headerOffset
              + " (entry "
              + PathBytes.escape(TarNumbers.string(block, NAME, 100))
              + ")");
    }
  }

  /**
   * The POSIX header checksum: the sum of the 512 header bytes as unsigned values, with the 8 bytes
   * of the checksum field counted as spaces. Bytes are summed eight at a time, in four 16-bit lanes
   * of a long (64 words add at most 64 * 2 * 255 to a lane, which cannot overflow it).
   */
  static long unsignedChecksum(byte[] header) {
    long lanes = 0;
    for (int i = 0; i < BLOCK; i += 8) {
      long word = (long) LONGS.get(header, i);
      lanes += (word & 0x00FF00FF00FF00FFL) + ((word >>> 8) & 0x00FF00FF00FF00FFL);
    }
    long sum =
        (lanes & 0xFFFF) + ((lanes >>> 16) & 0xFFFF) + ((lanes >>> 32) & 0xFFFF) + (lanes >>> 48);
    for (int i = CHKSUM; i < CHKSUM + 8; i++) {
      sum += ' ' - (header[i] & 0xff);
    }
    return sum;
  }

  /** The checksum some old tar implementations wrote: header bytes summed as signed values. */
  static long signedChecksum(byte[] header) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= CHKSUM && i < CHKSUM + 8) ? ' ' : header[i];
    }
    return sum;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private long number(int off, int len, String field, long headerOffset)
      throws InvalidImageException {
    Long v = TarNumbers.parse(block, off, len);
    if (v == null) {
      throw new InvalidImageException(
          "invalid tar header field "
              + field
              + " at offset "
              + headerOffset
              + " (entry "
              + PathBytes.escape(TarNumbers.string(block, NAME, 100))
              + ")");
    }
    return v;
  }

  private boolean matches(int off, String text) {
    byte[] t = text.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < t.length; i++) {
      if (block[off + i] != t[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] stripNuls(byte[] data) {
    int end = data.length;
    while (end > 0 && data[end - 1] == 0) {
      end--;
    }
    byte[] out = new byte[end];
    System.arraycopy(data, 0, out, 0, end);
    return out;
  }

  private static InvalidImageException truncated(String what) {
    return new InvalidImageException("invalid tar archive: unexpected end of stream in " + what);
  }

  /** Exactly the current entry's content bytes; a short archive is an error naming the entry. */
  private final class ContentStream extends InputStream {
    private final TarEntry entry;

    ContentStream(TarEntry entry) {
      this.entry = entry;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (current != entry) {
        throw new IllegalStateException(
            "tar entry " + entry.displayName() + " is no longer current");
      }
      if (remaining == 0) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw truncated("content of tar entry " + entry.displayName());
      }
      remaining -= n;
      offset += n;
      return n;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(remaining, in.available());
    }

    void skipRest() throws IOException {
      if (remaining > 0) {
        long n = remaining;
        long skipped = skipBytes(n);
        offset += skipped;
        remaining -= skipped;
        if (skipped != n) {
          throw truncated("content of tar entry " + entry.displayName());
        }
      }
    }
  }
}
