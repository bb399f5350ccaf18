package dev.umoci.layer;

import static dev.umoci.layer.TarHeaderBlock.BLOCK;
import static dev.umoci.layer.TarHeaderBlock.DEVMAJOR;
import static dev.umoci.layer.TarHeaderBlock.DEVMINOR;
import static dev.umoci.layer.TarHeaderBlock.GID;
import static dev.umoci.layer.TarHeaderBlock.GNU_ATIME;
import static dev.umoci.layer.TarHeaderBlock.GNU_CTIME;
import static dev.umoci.layer.TarHeaderBlock.LINKNAME;
import static dev.umoci.layer.TarHeaderBlock.MODE;
import static dev.umoci.layer.TarHeaderBlock.MTIME;
import static dev.umoci.layer.TarHeaderBlock.NAME;
import static dev.umoci.layer.TarHeaderBlock.PREFIX;
import static dev.umoci.layer.TarHeaderBlock.SIZE;
import static dev.umoci.layer.TarHeaderBlock.TYPEFLAG;
import static dev.umoci.layer.TarHeaderBlock.UID;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.LimitExceededException;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.sys.PathBytes;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
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
  private final TarInput in;
  private final byte[] block = new byte[BLOCK];
  private final InputLimits limits;
  private final GlobalPaxRecords globalPax;
  private long entries;
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
    this.in = new TarInput(in, limits.maxLayerBytes());
    this.limits = limits;
    this.globalPax = new GlobalPaxRecords(limits.maxGlobalPaxBytes());
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
      long headerOffset = in.offset();
      if (!in.readBlock(block)) {
        return end();
      }
      if (TarHeaderBlock.isZero(block)) {
        if (!in.readBlock(block) || TarHeaderBlock.isZero(block)) {
          return end();
        }
        throw new InvalidImageException(
            "invalid tar archive: data after a single zero block at offset " + headerOffset);
      }
      TarHeaderBlock.verifyChecksum(block, headerOffset);
      byte typeflag = block[TYPEFLAG];
      long size = number(SIZE, 12, "size", headerOffset);
      if (typeflag == 'x' || typeflag == 'g' || typeflag == 'L' || typeflag == 'K') {
        byte[] data = readSpecial(size, headerOffset, (char) typeflag);
        switch (typeflag) {
          case 'x' -> localPax = PaxRecords.parse(data, "at offset " + headerOffset);
          case 'g' ->
              globalPax.merge(PaxRecords.parse(data, "at offset " + headerOffset), headerOffset);
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
    return in.drain();
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
    boolean ustar = TarHeaderBlock.isUstar(block);
    boolean gnu = TarHeaderBlock.isGnu(block);
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

    Map<String, byte[]> pax = globalPax.forEntry(localPax);
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

    if (typeflag == 'S') {
      throw new InvalidImageException("tar entry " + what + ": GNU sparse files are not supported");
    }
    TarEntry.Type type = TarHeaderBlock.type(typeflag, name);
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

    for (Map.Entry<String, byte[]> rec : pax.entrySet()) {
      String key = rec.getKey();
      byte[] value = rec.getValue();
      switch (key) {
        case PaxRecords.SIZE -> size = PaxRecords.number(value, key, what, size);
        case PaxRecords.UID -> uid = PaxRecords.number(value, key, what, uid);
        case PaxRecords.GID -> gid = PaxRecords.number(value, key, what, gid);
        case PaxRecords.MTIME -> mtime = PaxRecords.time(value, key, what, mtime);
        case PaxRecords.ATIME -> atime = PaxRecords.time(value, key, what, atime);
        case PaxRecords.CTIME -> ctime = PaxRecords.time(value, key, what, ctime);
        default -> {}
      }
    }
    TreeMap<String, byte[]> xattrs = PaxXattrs.decode(pax, what);

    boolean headerOnly = type != null && type != TarEntry.Type.REGULAR;
    long dataSize = headerOnly ? 0 : size;
    if (dataSize < 0) {
      throw new InvalidImageException("tar entry " + what + ": negative size " + size);
    }
    padding = (BLOCK - (dataSize % BLOCK)) % BLOCK;
    in.checkRoom(dataSize, "tar entry " + what); // first alone: dataSize + padding may overflow
    in.checkRoom(dataSize + padding, "tar entry " + what);
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
    in.checkRoom(size + pad, "'" + kind + "' header");
    String what = "'" + kind + "' header at offset " + headerOffset;
    byte[] data = in.readExactly((int) size, what);
    in.skipExactly(pad, what);
    return data;
  }

  private void skipContent() throws IOException {
    if (content != null) {
      content.skipRest();
    } else if (remaining > 0) {
      in.skipExactly(remaining, "entry content");
      remaining = 0;
    }
    if (padding > 0) {
      in.skipExactly(padding, "entry padding");
      padding = 0;
    }
    content = null;
    current = null;
  }

  private long number(int off, int len, String field, long headerOffset)
      throws InvalidImageException {
    return TarHeaderBlock.number(block, off, len, field, headerOffset);
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
        throw TarInput.truncated("content of tar entry " + entry.displayName());
      }
      remaining -= n;
      return n;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(remaining, in.available());
    }

    void skipRest() throws IOException {
      if (remaining > 0) {
        long n = remaining;
        long skipped = in.skip(n);
        remaining -= skipped;
        if (skipped != n) {
          throw TarInput.truncated("content of tar entry " + entry.displayName());
        }
      }
    }
  }
}
