package dev.umoci.mtree;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Go's {@code strconv.Quote} (the {@code %q} verb) for raw bytes, so messages about paths read the
 * same as umoci's: printable Unicode as is, {@code \n}-style escapes, {@code \xHH} for bytes that
 * are not valid UTF-8 or are ASCII controls, {@code \\uHHHH} for other non-printable runes.
 */
final class GoQuote {
  private GoQuote() {}

  static String quote(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length + 2).append('"');
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer chars = CharBuffer.allocate(2);
    while (in.hasRemaining()) {
      chars.clear();
      ByteBuffer one = in.duplicate();
      int start = in.position();
      int len = utf8Length(bytes[start]);
      if (len <= 0 || start + len > bytes.length) {
        appendByte(out, bytes[start]);
        in.position(start + 1);
        continue;
      }
      one.limit(start + len);
      decoder.reset();
      CoderResult r = decoder.decode(one, chars, true);
      if (r.isError() || one.hasRemaining()) {
        appendByte(out, bytes[start]);
        in.position(start + 1);
        continue;
      }
      chars.flip();
      int cp = Character.codePointAt(chars, 0);
      appendRune(out, cp);
      in.position(start + len);
    }
    return out.append('"').toString();
  }

  private static int utf8Length(byte b) {
    int c = b & 0xff;
    if (c < 0x80) {
      return 1;
    } else if (c >= 0xc2 && c < 0xe0) {
      return 2;
    } else if (c >= 0xe0 && c < 0xf0) {
      return 3;
    } else if (c >= 0xf0 && c < 0xf5) {
      return 4;
    }
    return -1;
  }

  private static void appendByte(StringBuilder out, byte b) {
    out.append(String.format("\\x%02x", b & 0xff));
  }

  private static void appendRune(StringBuilder out, int cp) {
    switch (cp) {
      case '"' -> out.append("\\\"");
      case '\\' -> out.append("\\\\");
      case 0x07 -> out.append("\\a");
      case '\b' -> out.append("\\b");
      case '\f' -> out.append("\\f");
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      case 0x0b -> out.append("\\v");
      default -> {
        if (cp < 0x20 || cp == 0x7f) {
          out.append(String.format("\\x%02x", cp));
        } else if (isPrint(cp)) {
          out.appendCodePoint(cp);
        } else if (cp < 0x10000) {
          out.append(String.format("\\u%04x", cp));
        } else {
          out.append(String.format("\\U%08x", cp));
        }
      }
    }
  }

  /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space. */
  private static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER,
          Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK,
          Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER,
          Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL ->
          true;
      default -> false;
    };
  }
}
