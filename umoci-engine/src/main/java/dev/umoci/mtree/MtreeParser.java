package dev.umoci.mtree;

import dev.umoci.errors.MtreeFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads mtree(5) text the way go-mtree's {@code ParseSpec} does. Lines end at {@code \n} (a {@code
 * \r} before it is dropped). A line whose first non-blank character is {@code #} is a comment; an
 * empty line is blank; a line starting with {@code /} is a special command; a line whose first
 * field is {@code ..} leaves the current directory; any other line with fields is an entry, full
 * when its name contains a slash. A trailing backslash joins the next line to special and entry
 * lines. Lines holding only blanks are skipped.
 *
 * <p>Unlike go-mtree, errors are reported at parse time, as one line naming the source and the line
 * number: a name or link with an invalid escape, a name that unescapes to nothing or contains a NUL
 * byte, a field with an empty keyword.
 */
final class MtreeParser {
  private MtreeParser() {}

  static MtreeSpec parse(byte[] text, String source) throws MtreeFormatException {
    List<SpecLine> lines = new ArrayList<>();
    parse(text, source, (line, start, continued) -> lines.add(line));
    return new MtreeSpec(lines);
  }

  /**
   * Receives the lines of a document in order, as {@link #parse(byte[], String, Sink)} reads them.
   */
  @FunctionalInterface
  interface Sink {
    /**
     * One logical line: {@code start} is the offset of its first byte in the text, {@code
     * continued} true when it was joined with the next physical line by a trailing backslash.
     */
    void line(SpecLine line, int start, boolean continued) throws MtreeFormatException;
  }

  /**
   * Parses {@code text} line by line into {@code sink}, keeping no line: a caller that needs only
   * some of what the lines say does not pay for a list of all of them. Errors as {@link
   * #parse(byte[], String)}.
   */
  static void parse(byte[] text, String source, Sink sink) throws MtreeFormatException {
    PhysicalLines physical = new PhysicalLines(text);
    for (int i = 0; i < physical.size(); i++) {
      int lineNumber = i + 1;
      int start = physical.start(i);
      String str = physical.get(i);
      String trimmed = stripLeadingBlanks(str);
      if (trimmed.startsWith("#")) {
        sink.line(new SpecLine.Comment(str.getBytes(StandardCharsets.ISO_8859_1)), start, false);
        continue;
      }
      if (str.isEmpty()) {
        sink.line(new SpecLine.Blank(), start, false);
        continue;
      }
      List<String> fields = fields(str);
      if (!str.startsWith("/") && fields.isEmpty()) {
        continue;
      }
      if (!str.startsWith("/") && fields.get(0).equals("..")) {
        sink.line(new SpecLine.DotDot(), start, false);
        continue;
      }
      boolean continued = false;
      if (str.endsWith("\\")) {
        StringBuilder joined = new StringBuilder(str);
        while (joined.length() > 0 && joined.charAt(joined.length() - 1) == '\\') {
          continued = true;
          joined.setLength(joined.length() - 1);
          if (i + 1 < physical.size()) {
            joined.append(physical.get(++i));
          }
        }
        fields = fields(joined.toString());
      }
      if (fields.isEmpty()) {
        throw error(source, lineNumber, "special line without a command");
      }
      List<KeyVal> keyVals = new ArrayList<>(fields.size() - 1);
      for (String field : fields.subList(1, fields.size())) {
        KeyVal kv = KeyVal.parse(field);
        if (kv.keyword().isEmpty()) {
          throw error(source, lineNumber, "field \"" + field + "\" has no keyword");
        }
        if (kv.keyword().equals("link") && kv.hasValue()) {
          decode(kv.value(), source, lineNumber, "link target");
        }
        keyVals.add(kv);
      }
      String name = fields.get(0);
      if (str.startsWith("/")) {
        sink.line(new SpecLine.Special(name, keyVals), start, continued);
        continue;
      }
      byte[] raw = decode(name, source, lineNumber, "name");
      if (raw.length == 0) {
        throw error(source, lineNumber, "empty file name");
      }
      for (byte b : raw) {
        if (b == 0) {
          throw error(source, lineNumber, "file name \"" + name + "\" contains a NUL byte");
        }
      }
      sink.line(new SpecLine.Entry(raw, name.indexOf('/') >= 0, keyVals), start, continued);
    }
  }

  private static byte[] decode(String escaped, String source, int line, String what)
      throws MtreeFormatException {
    try {
      return Vis.decode(escaped);
    } catch (IllegalArgumentException e) {
      throw error(source, line, what + ": " + e.getMessage());
    }
  }

  private static MtreeFormatException error(String source, int line, String message) {
    return new MtreeFormatException(
        "invalid mtree spec "
            + (source == null ? "" : source + " ")
            + "line "
            + line
            + ": "
            + message);
  }

  /**
   * Lines as bufio.ScanLines splits them (at a newline, a carriage return before it dropped), with
   * the offset each starts at; each char of a returned string is one byte.
   */
  static final class PhysicalLines {
    private final byte[] text;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int size;

    PhysicalLines(byte[] text) {
      this.text = text;
      int start = 0;
      for (int i = 0; i <= text.length; i++) {
        if (i == text.length && start == text.length) {
          break;
        }
        if (i == text.length || text[i] == '\n') {
          int end = i;
          if (end > start && text[end - 1] == '\r') {
            end--;
          }
          add(start, end);
          start = i + 1;
        }
      }
    }

    private void add(int start, int end) {
      if (size == starts.length) {
        starts = Arrays.copyOf(starts, size * 2);
        ends = Arrays.copyOf(ends, size * 2);
      }
      starts[size] = start;
      ends[size] = end;
      size++;
    }

    int size() {
      return size;
    }

    int start(int i) {
      return starts[i];
    }

    String get(int i) {
      return new String(text, starts[i], ends[i] - starts[i], StandardCharsets.ISO_8859_1);
    }
  }

  private static String stripLeadingBlanks(String s) {
    int i = 0;
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return s.substring(i);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
  }

  /** strings.Fields over ASCII white space. */
  static List<String> fields(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && isSpace(s.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isSpace(s.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(s.substring(start, i));
      }
    }
    return out;
  }
}
