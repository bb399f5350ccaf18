package dev.umoci.ops;

/**
 * {@code stat}'s view of embedded descriptor data, as umoci 0.6 prints it: {@code Data: (N bytes)},
 * then at most 256 bytes as {@code xxd} lines (offset, 16 bytes in pairs of hex digits, the bytes
 * with non-graphic ones as {@code .}), then how many bytes were left out.
 */
final class HexDump {
  private HexDump() {}

  static final int BYTES_PER_LINE = 16;
  static final int MAX_DISPLAY = 256;

  static void pprintBytes(StringBuilder out, String prefix, String name, byte[] data) {
    out.append(prefix).append(name).append(": (").append(data.length).append(" bytes)\n");
    String p = prefix + "\t";
    int shown = Math.min(data.length, MAX_DISPLAY);
    for (int offset = 0; offset < shown; offset += BYTES_PER_LINE) {
      int n = Math.min(BYTES_PER_LINE, shown - offset);
      out.append(p).append(String.format("%04x: ", offset));
      StringBuilder text = new StringBuilder(BYTES_PER_LINE);
      for (int i = 0; i < BYTES_PER_LINE; i++) {
        if (i != 0 && i % 2 == 0) {
          out.append(' ');
        }
        if (i >= n) {
          out.append("  ");
        } else {
          int b = data[offset + i] & 0xff;
          out.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
          text.appendCodePoint(isGraphic(b) ? b : '.');
        }
      }
      out.append("  ").append(text).append('\n');
    }
    if (data.length > MAX_DISPLAY) {
      out.append(p)
          .append("....  (extra ")
          .append(data.length - MAX_DISPLAY)
          .append(" bytes omitted)\n");
    }
  }

  /**
   * Go's {@code unicode.IsGraphic(rune(b))} for a byte: printable ASCII and space, and Latin-1's
   * U+00A0..U+00FF except the soft hyphen U+00AD (a format character). For a byte from 0xA0 up Go
   * writes the raw byte (not valid UTF-8 on its own); we write the character U+00A0..U+00FF, whose
   * UTF-8 form is two bytes: the one place where this view differs from umoci's byte for byte.
   */
  static boolean isGraphic(int b) {
    return (b >= 0x20 && b < 0x7f) || (b >= 0xa0 && b != 0xad);
  }
}
