package dev.umoci.layer;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.sys.PathBytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The records of a PAX extended header ({@code "<len> <key>=<value>\n"}), with values kept as raw
 * bytes so that binary xattr values survive. Keys are UTF-8 text.
 */
final class PaxRecords {
  static final String PATH = "path";
  static final String LINKPATH = "linkpath";
  static final String SIZE = "size";
  static final String UID = "uid";
  static final String GID = "gid";
  static final String MTIME = "mtime";
  static final String ATIME = "atime";
  static final String CTIME = "ctime";
  static final String SCHILY_XATTR = "SCHILY.xattr.";
  static final String LIBARCHIVE_XATTR = "LIBARCHIVE.xattr.";
  static final String GNU_SPARSE = "GNU.sparse.";

  private PaxRecords() {}

  /**
   * Parses the content of an 'x' or 'g' header. Later records for the same key win, as in POSIX.
   *
   * @param what names the archive entry for error messages
   */
  static Map<String, byte[]> parse(byte[] data, String what) throws InvalidImageException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) {
        // Some writers pad the header content with NULs.
        break;
      }
      int space = pos;
      long len = 0;
      while (space < data.length && data[space] >= '0' && data[space] <= '9') {
        len = len * 10 + (data[space] - '0');
        if (len > data.length) {
          throw bad(what, "record length exceeds header size");
        }
        space++;
      }
      if (space == pos || space >= data.length || data[space] != ' ') {
        throw bad(what, "malformed record length");
      }
      int end = pos + (int) len;
      if (len <= space - pos + 1 || end > data.length || data[end - 1] != '\n') {
        throw bad(what, "malformed record");
      }
      int eq = space + 1;
      while (eq < end - 1 && data[eq] != '=') {
        eq++;
      }
      if (eq >= end - 1 || eq == space + 1) {
        throw bad(what, "record without key=value");
      }
      String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
      byte[] value = new byte[end - 1 - (eq + 1)];
      System.arraycopy(data, eq + 1, value, 0, value.length);
      out.put(key, value);
      pos = end;
    }
    return out;
  }

  /** One record, with the self-referential length computed as Go's archive/tar does. */
  static byte[] format(String key, byte[] value) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    int size = k.length + value.length + 3;
    size += Integer.toString(size).length();
    String prefix = Integer.toString(size);
    if (prefix.length() + 1 + k.length + 1 + value.length + 1 != size) {
      size = prefix.length() + k.length + value.length + 3;
      prefix = Integer.toString(size);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.writeBytes(prefix.getBytes(StandardCharsets.US_ASCII));
    out.write(' ');
    out.writeBytes(k);
    out.write('=');
    out.writeBytes(value);
    out.write('\n');
    return out.toByteArray();
  }

  /**
   * Parses a PAX time ({@code [-]seconds[.fraction]}) into nanoseconds since the epoch.
   *
   * @return null when malformed
   */
  static Long parseTime(byte[] value) {
    int i = 0;
    boolean negative = value.length > 0 && value[0] == '-';
    if (negative) {
      i = 1;
    }
    long seconds = 0;
    int secondDigits = 0;
    for (; i < value.length && value[i] != '.'; i++) {
      int digit = value[i] - '0';
      if (digit < 0 || digit > 9 || seconds > (Long.MAX_VALUE - digit) / 10) {
        return null;
      }
      seconds = seconds * 10 + digit;
      secondDigits++;
    }
    if (secondDigits == 0) {
      return null;
    }
    long nanos = 0;
    int fractionDigits = 0;
    for (i++; i < value.length; i++) { // after the '.', if any
      int digit = value[i] - '0';
      if (digit < 0 || digit > 9) {
        return null;
      }
      if (fractionDigits < 9) { // finer than nanoseconds is truncated
        nanos = nanos * 10 + digit;
        fractionDigits++;
      }
    }
    for (; fractionDigits < 9; fractionDigits++) {
      nanos *= 10;
    }
    try {
      long total = Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
      return negative ? -total : total;
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /** Formats nanoseconds since the epoch as a PAX time, without a fraction when it is whole. */
  static byte[] formatTime(long nanos) {
    long secs = Math.floorDiv(nanos, 1_000_000_000L);
    long frac = Math.floorMod(nanos, 1_000_000_000L);
    String s;
    if (frac == 0) {
      s = Long.toString(secs);
    } else if (secs < 0) {
      // -1.5s is stored as "-1.5": sign applies to the whole value.
      long abs = -nanos;
      s =
          "-"
              + (abs / 1_000_000_000L)
              + "."
              + String.format("%09d", abs % 1_000_000_000L).replaceAll("0+$", "");
    } else {
      s = secs + "." + String.format("%09d", frac).replaceAll("0+$", "");
    }
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A non-negative decimal integer value, or null when malformed. */
  static Long parseDecimal(byte[] value) {
    if (value.length == 0 || value.length > 19) {
      return null;
    }
    long v = 0;
    for (byte b : value) {
      if (b < '0' || b > '9') {
        return null;
      }
      v = v * 10 + (b - '0');
    }
    return v;
  }

  /**
   * A decimal record ({@code size}, {@code uid}, {@code gid}) of an entry: {@code fallback} (the
   * header's value) when empty.
   *
   * @throws InvalidImageException naming the entry and the key when malformed
   */
  static long number(byte[] value, String key, String what, long fallback)
      throws InvalidImageException {
    return value(value, key, what, fallback, PaxRecords::parseDecimal);
  }

  /** A time record ({@code mtime}, {@code atime}, {@code ctime}) in ns, as {@link #number}. */
  static long time(byte[] value, String key, String what, long fallback)
      throws InvalidImageException {
    return value(value, key, what, fallback, PaxRecords::parseTime);
  }

  private static long value(
      byte[] value, String key, String what, long fallback, Function<byte[], Long> parser)
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

  private static InvalidImageException bad(String what, String why) {
    return new InvalidImageException("invalid PAX header for tar entry " + what + ": " + why);
  }
}
