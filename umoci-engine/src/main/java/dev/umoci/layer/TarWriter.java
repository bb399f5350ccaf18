package dev.umoci.layer;

import dev.umoci.errors.UmociException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deterministic tar writer: the same entries always give the same bytes. It makes the format
 * choices of Go's archive/tar (which umoci uses): a plain ustar header when every field fits
 * (splitting long ASCII names into prefix and name), otherwise a PAX extended header named {@code
 * <dir>/PaxHeaders.0/<base>} carrying {@code path}, {@code linkpath}, {@code uid}, {@code gid},
 * {@code size}, {@code mtime} and {@code SCHILY.xattr.*} records in byte order of their keys,
 * followed by an ustar header with ASCII-only, truncated names. User and group names are never
 * written. The archive ends with two zero blocks.
 *
 * <p>Times: by default only whole seconds of the mtime are written (the fraction is dropped, atime
 * and ctime are not written), as umoci does. With {@code subSecondTimes} the exact mtime, and atime
 * and ctime when present, go into PAX records.
 */
public final class TarWriter implements Closeable {
  private static final int BLOCK = 512;
  private static final byte[] ZERO = new byte[BLOCK];

  private final OutputStream out;
  private final boolean subSecondTimes;
  private long entryRemaining;
  private long entryPadding;
  private String entryName;
  private boolean finished;

  /** A writer with umoci's whole-second timestamps. */
  public TarWriter(OutputStream out) {
    this(out, false);
  }

  public TarWriter(OutputStream out, boolean subSecondTimes) {
    this.out = new BufferedOutputStream(out, 1 << 18);
    this.subSecondTimes = subSecondTimes;
  }

  /** Writes the header(s) of {@code entry}; then write exactly {@code entry.size()} bytes. */
  public void putEntry(TarEntry entry) throws IOException {
    if (finished) {
      throw new IllegalStateException("tar archive already finished");
    }
    if (entryName != null) {
      closeEntry();
    }
    writeHeaders(entry);
    entryName = entry.displayName();
    entryRemaining = entry.size();
    entryPadding = (BLOCK - (entry.size() % BLOCK)) % BLOCK;
  }

  /** Content of the current entry. */
  public void write(byte[] b, int off, int len) throws IOException {
    if (entryName == null) {
      throw new IllegalStateException("no tar entry to write content to");
    }
    if (len > entryRemaining) {
      throw new UmociException(
          "tar entry " + entryName + ": content is longer than the declared size");
    }
    out.write(b, off, len);
    entryRemaining -= len;
  }

  /** Pads the current entry; its content must have been written in full. */
  public void closeEntry() throws IOException {
    if (entryName == null) {
      return;
    }
    if (entryRemaining != 0) {
      String name = entryName;
      entryName = null;
      throw new UmociException(
          "tar entry " + name + ": content is " + entryRemaining + " bytes shorter than declared");
    }
    out.write(ZERO, 0, (int) entryPadding);
    entryName = null;
  }

  /** Writes {@code entry} with all of {@code content} (which must hold exactly its size). */
  public void add(TarEntry entry, InputStream content) throws IOException {
    putEntry(entry);
    if (content != null) {
      byte[] buf = new byte[(int) Math.min(1 << 18, Math.max(entry.size(), 1))];
      int n;
      while (entryRemaining > 0 && (n = content.read(buf, 0, buf.length)) > 0) {
        write(buf, 0, (int) Math.min(n, entryRemaining));
        if (n > entryRemaining && entryRemaining == 0) {
          break;
        }
      }
    }
    closeEntry();
  }

  /** Writes an entry without content (directories, links, devices, empty files). */
  public void add(TarEntry entry) throws IOException {
    add(entry, null);
  }

  /** Ends the archive with two zero blocks and flushes; the underlying stream stays open. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    closeEntry();
    out.write(ZERO);
    out.write(ZERO);
    out.flush();
    finished = true;
  }

  @Override
  public void close() throws IOException {
    finish();
    out.close();
  }

  private void writeHeaders(TarEntry e) throws IOException {
    byte[] name = e.name();
    byte[] link = e.linkName();
    Map<String, byte[]> pax = new TreeMap<>(TarWriter::compareUtf8);
    boolean ustar = true;

    if (!isAscii(name) || name.length > 100) {
      pax.put(PaxRecords.PATH, name);
      if (splitUstar(name) == null) {
        ustar = false;
      }
    }
    if (!isAscii(link) || link.length > 100) {
      pax.put(PaxRecords.LINKPATH, link);
      ustar = false;
    }
    ustar &= numeric(pax, PaxRecords.UID, e.uid(), 8);
    ustar &= numeric(pax, PaxRecords.GID, e.gid(), 8);
    ustar &= numeric(pax, PaxRecords.SIZE, e.size(), 12);
    if (!TarNumbers.fitsOctal(e.devMajor(), 8) || !TarNumbers.fitsOctal(e.devMinor(), 8)) {
      throw new UmociException("tar entry " + e.displayName() + ": device number too large");
    }
    long mtimeSeconds = Math.floorDiv(e.mtimeNanos(), 1_000_000_000L);
    if (subSecondTimes) {
      boolean fits = TarNumbers.fitsOctal(mtimeSeconds, 12);
      if (!fits || e.mtimeNanos() % 1_000_000_000L != 0) {
        pax.put(PaxRecords.MTIME, PaxRecords.formatTime(e.mtimeNanos()));
      }
      ustar &= fits;
      if (e.atimeNanos() != TarEntry.NO_TIME) {
        pax.put(PaxRecords.ATIME, PaxRecords.formatTime(e.atimeNanos()));
        ustar = false;
      }
      if (e.ctimeNanos() != TarEntry.NO_TIME) {
        pax.put(PaxRecords.CTIME, PaxRecords.formatTime(e.ctimeNanos()));
        ustar = false;
      }
    } else if (!TarNumbers.fitsOctal(mtimeSeconds, 12)) {
      pax.put(PaxRecords.MTIME, PaxRecords.formatTime(mtimeSeconds * 1_000_000_000L));
      ustar = false;
    }
    for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
      String key = x.getKey();
      if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
        throw new UmociException(
            "tar entry "
                + e.displayName()
                + ": xattr name \""
                + key
                + "\" cannot be stored in PAX");
      }
      pax.put(PaxRecords.SCHILY_XATTR + key, x.getValue());
      ustar = false;
    }

    if (ustar) {
      byte[] block = template(e, mtimeSeconds);
      byte[][] split = name.length > 100 ? splitUstar(name) : null;
      if (split != null) {
        TarNumbers.formatString(block, 0, 100, split[1]);
        TarNumbers.formatString(block, 345, 155, split[0]);
      } else {
        TarNumbers.formatString(block, 0, 100, name);
      }
      TarNumbers.formatString(block, 157, 100, link);
      finishBlock(block);
      return;
    }

    ByteArrayOutputStream records = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> r : pax.entrySet()) {
      records.writeBytes(PaxRecords.format(r.getKey(), r.getValue()));
    }
    byte[] data = records.toByteArray();
    if (data.length > (1 << 20)) {
      throw new UmociException("tar entry " + e.displayName() + ": PAX header exceeds 1 MiB");
    }
    byte[] paxBlock = new byte[BLOCK];
    byte[] paxName = trimTrailingSlashes(truncate(toAscii(paxHeaderName(name)), 100));
    TarNumbers.formatString(paxBlock, 0, 100, paxName);
    TarNumbers.formatOctal(paxBlock, 100, 8, 0);
    TarNumbers.formatOctal(paxBlock, 108, 8, 0);
    TarNumbers.formatOctal(paxBlock, 116, 8, 0);
    TarNumbers.formatOctal(paxBlock, 124, 12, data.length);
    TarNumbers.formatOctal(paxBlock, 136, 12, 0);
    paxBlock[156] = 'x';
    finishBlock(paxBlock);
    out.write(data);
    out.write(ZERO, 0, (BLOCK - (data.length % BLOCK)) % BLOCK);

    byte[] block = template(e, mtimeSeconds);
    TarNumbers.formatString(block, 0, 100, toAscii(name));
    TarNumbers.formatString(block, 157, 100, toAscii(link));
    finishBlock(block);
  }

  /** The v7+ustar fields common to both formats, as Go's templateV7Plus; names are set later. */
  private static byte[] template(TarEntry e, long mtimeSeconds) {
    byte[] block = new byte[BLOCK];
    block[156] = e.type().typeflag();
    TarNumbers.formatOctal(block, 100, 8, e.mode());
    TarNumbers.formatOctal(block, 108, 8, e.uid());
    TarNumbers.formatOctal(block, 116, 8, e.gid());
    TarNumbers.formatOctal(block, 124, 12, e.size());
    TarNumbers.formatOctal(block, 136, 12, mtimeSeconds);
    TarNumbers.formatString(block, 265, 32, new byte[0]);
    TarNumbers.formatString(block, 297, 32, new byte[0]);
    TarNumbers.formatOctal(block, 329, 8, e.devMajor());
    TarNumbers.formatOctal(block, 337, 8, e.devMinor());
    return block;
  }

  /** Sets the ustar magic and the checksum ("%06o\0 "), then writes the block. */
  private void finishBlock(byte[] block) throws IOException {
    byte[] magic = "ustar\00000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, block, 257, 8);
    Arrays.fill(block, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : block) {
      sum += b & 0xff;
    }
    TarNumbers.formatOctal(block, 148, 7, sum);
    block[155] = ' ';
    out.write(block);
  }

  private static boolean numeric(Map<String, byte[]> pax, String key, long value, int width) {
    if (TarNumbers.fitsOctal(value, width)) {
      return true;
    }
    pax.put(key, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    return false;
  }

  /** Go's splitUSTARPath: {prefix, name} or null when the name cannot be split. */
  static byte[][] splitUstar(byte[] name) {
    int length = name.length;
    if (length <= 100 || !isAscii(name)) {
      return null;
    }
    if (length > 156) {
      length = 156;
    } else if (name[length - 1] == '/') {
      length--;
    }
    int i = -1;
    for (int j = length - 1; j >= 0; j--) {
      if (name[j] == '/') {
        i = j;
        break;
      }
    }
    int nlen = name.length - i - 1;
    if (i <= 0 || nlen > 100 || nlen == 0 || i > 155) {
      return null;
    }
    return new byte[][] {
      Arrays.copyOfRange(name, 0, i), Arrays.copyOfRange(name, i + 1, name.length)
    };
  }

  /** Go's path.Join(dir, "PaxHeaders.0", file) for the name of a PAX header block. */
  private static byte[] paxHeaderName(byte[] name) {
    int slash = -1;
    for (int j = name.length - 1; j >= 0; j--) {
      if (name[j] == '/') {
        slash = j;
        break;
      }
    }
    byte[] dir = Arrays.copyOfRange(name, 0, slash + 1);
    byte[] file = Arrays.copyOfRange(name, slash + 1, name.length);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    if (dir.length > 0) {
      joined.writeBytes(dir);
      joined.write('/');
    }
    joined.writeBytes("PaxHeaders.0".getBytes(StandardCharsets.US_ASCII));
    if (file.length > 0) {
      joined.write('/');
      joined.writeBytes(file);
    }
    return goClean(joined.toByteArray());
  }

  /** Go's path.Clean on bytes. */
  static byte[] goClean(byte[] path) {
    boolean rooted = path.length > 0 && path[0] == '/';
    List<byte[]> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= path.length; i++) {
      if (i == path.length || path[i] == '/') {
        byte[] part = Arrays.copyOfRange(path, start, i);
        start = i + 1;
        if (part.length == 0 || Arrays.equals(part, new byte[] {'.'})) {
          continue;
        }
        if (Arrays.equals(part, new byte[] {'.', '.'})) {
          if (!parts.isEmpty() && !Arrays.equals(parts.get(parts.size() - 1), part)) {
            parts.remove(parts.size() - 1);
          } else if (!rooted) {
            parts.add(part);
          }
          continue;
        }
        parts.add(part);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (rooted) {
      out.write('/');
    }
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        out.write('/');
      }
      out.writeBytes(parts.get(i));
    }
    return out.size() == 0 ? new byte[] {'.'} : out.toByteArray();
  }

  private static boolean isAscii(byte[] s) {
    for (byte b : s) {
      if (b == 0 || (b & 0x80) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Go's toASCII: drops NUL and every byte of non-ASCII characters. */
  private static byte[] toAscii(byte[] s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length);
    for (byte b : s) {
      if (b != 0 && (b & 0x80) == 0) {
        out.write(b);
      }
    }
    return out.toByteArray();
  }

  private static byte[] truncate(byte[] s, int max) {
    return s.length > max ? Arrays.copyOf(s, max) : s;
  }

  private static byte[] trimTrailingSlashes(byte[] s) {
    int end = s.length;
    while (end > 0 && s[end - 1] == '/') {
      end--;
    }
    return Arrays.copyOf(s, end);
  }

  private static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
