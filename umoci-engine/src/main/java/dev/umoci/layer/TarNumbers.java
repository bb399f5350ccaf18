package dev.umoci.layer;

import java.nio.charset.StandardCharsets;

/** Numeric and string field codecs of the ustar header (octal, base-256, NUL-padded strings). */
final class TarNumbers {
  private TarNumbers() {}

  /**
   * Parses a numeric header field: base-256 when the top bit of the first byte is set (GNU), else
   * octal digits surrounded by optional spaces and NULs. Returns null when the field is malformed.
   */
  static Long parse(byte[] block, int off, int len) {
    if (len > 0 && (block[off] & 0x80) != 0) {
      return parseBase256(block, off, len);
    }
    int i = off;
    int end = off + len;
    while (i < end && (block[i] == ' ' || block[i] == 0)) {
      i++;
    }
    long v = 0;
    int digits = 0;
    while (i < end && block[i] >= '0' && block[i] <= '7') {
      if (v > (Long.MAX_VALUE >> 3)) {
        return null;
      }
      v = (v << 3) | (block[i] - '0');
      i++;
      digits++;
    }
    while (i < end && (block[i] == ' ' || block[i] == 0)) {
      i++;
    }
    if (i != end) {
      return null;
    }
    return digits == 0 ? 0L : v;
  }

  private static Long parseBase256(byte[] block, int off, int len) {
    boolean negative = (block[off] & 0x40) != 0;
    long v = 0;
    for (int i = 0; i < len; i++) {
      int b = block[off + i] & 0xff;
      if (i == 0) {
        b &= 0x7f;
        if (negative) {
          b |= 0x80;
        }
      }
      if (i < len - 8 && b != (negative ? 0xff : 0)) {
        return null;
      }
      v = (v << 8) | b;
    }
    return v;
  }

  /** True when {@code v} fits a NUL-terminated octal field of {@code len} bytes. */
  static boolean fitsOctal(long v, int len) {
    return v >= 0 && (len >= 22 || v < (1L << (3 * (len - 1))));
  }

  /**
   * Writes {@code v} as zero-padded octal leaving room for a trailing NUL; 0 when it does not fit.
   */
  static void formatOctal(byte[] block, int off, int len, long v) {
    if (!fitsOctal(v, len)) {
      v = 0;
    }
    String s = Long.toOctalString(v);
    StringBuilder padded = new StringBuilder();
    for (int i = s.length(); i < len - 1; i++) {
      padded.append('0');
    }
    padded.append(s);
    formatString(block, off, len, padded.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** Copies {@code s} (truncated to the field) and NUL-terminates it when shorter. */
  static void formatString(byte[] block, int off, int len, byte[] s) {
    int n = Math.min(len, s.length);
    System.arraycopy(s, 0, block, off, n);
    if (n < len) {
      block[off + n] = 0;
    }
  }

  /** The bytes of a NUL-terminated (or full-width) string field. */
  static byte[] string(byte[] block, int off, int len) {
    int end = off;
    while (end < off + len && block[end] != 0) {
      end++;
    }
    byte[] out = new byte[end - off];
    System.arraycopy(block, off, out, 0, out.length);
    return out;
  }
}
