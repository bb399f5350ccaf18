package dev.umoci.mtree;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the keywords of one entry line straight from a document's bytes, for {@link
 * MtreeSpec#entryAt}: repack reads some twenty thousand entries one line each, and building the
 * parser's objects for each (a line list, strings for every field, a {@link SpecLine}) was most of
 * what that cost. Only a plain line is read here: an entry line, not continued, whose name and link
 * target hold no escape and no NUL byte, and none of whose fields lacks a keyword. Anything else is
 * left to the parser ({@link #keywords} gives null), which then gives the same result or the error.
 */
final class PlainEntryLine {
  private PlainEntryLine() {}

  /**
   * The keywords of the entry line starting at {@code start}, the {@code defaults} merged under its
   * own fields as {@link MtreeSpec#byPath()} merges them; null when the line is not plain.
   */
  static Map<String, String> keywords(byte[] text, int start, List<KeyVal> defaults) {
    if (start < 0 || start >= text.length || (start > 0 && text[start - 1] != '\n')) {
      return null;
    }
    int end = start;
    while (end < text.length && text[end] != '\n') {
      end++;
    }
    if (end > start && text[end - 1] == '\r') {
      end--;
    }
    if (end == start || text[start] == '/' || text[end - 1] == '\\') {
      return null;
    }
    int i = start;
    while (i < end && (text[i] == ' ' || text[i] == '\t')) {
      i++;
    }
    if (i < end && text[i] == '#') {
      return null;
    }
    i = skipSpace(text, i, end);
    int nameStart = i;
    while (i < end && !isSpace(text[i])) {
      if (text[i] == '\\' || text[i] == 0) {
        return null;
      }
      i++;
    }
    int nameEnd = i;
    if (nameEnd == nameStart
        || (nameEnd - nameStart == 2 && text[nameStart] == '.' && text[nameStart + 1] == '.')) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyVal kv : defaults) {
      if (kv.hasValue()) {
        out.put(kv.keyword(), kv.value());
      }
    }
    while (true) {
      i = skipSpace(text, i, end);
      if (i >= end) {
        return out;
      }
      int fieldStart = i;
      int eq = -1;
      boolean escaped = false;
      while (i < end && !isSpace(text[i])) {
        if (text[i] == '=' && eq < 0) {
          eq = i;
        } else if (text[i] == '\\') {
          escaped = true;
        }
        i++;
      }
      if (eq == fieldStart) {
        return null;
      }
      if (eq < 0) {
        continue;
      }
      String keyword = new String(text, fieldStart, eq - fieldStart, StandardCharsets.ISO_8859_1);
      if (escaped && keyword.equals("link")) {
        return null;
      }
      out.put(keyword, new String(text, eq + 1, i - eq - 1, StandardCharsets.ISO_8859_1));
    }
  }

  private static int skipSpace(byte[] text, int i, int end) {
    while (i < end && isSpace(text[i])) {
      i++;
    }
    return i;
  }

  /** The parser's white space (Go's ASCII {@code unicode.IsSpace}). */
  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
  }
}
