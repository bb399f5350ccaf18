package dev.umoci.bundle;

/** Go string helpers whose exact semantics matter for compatibility. */
final class GoStrings {
  private GoStrings() {}

  /** {@code strings.TrimSpace}: strips leading and trailing {@code unicode.IsSpace} characters. */
  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Go's {@code unicode.IsSpace} (all such code points are in the BMP). */
  static boolean isSpace(char c) {
    switch (c) {
      case '\t',
          '\n',
          0x0B,
          '\f',
          '\r',
          ' ',
          0x85,
          0xA0,
          0x1680,
          0x2028,
          0x2029,
          0x202F,
          0x205F,
          0x3000 -> {
        return true;
      }
      default -> {
        return c >= 0x2000 && c <= 0x200A;
      }
    }
  }
}
