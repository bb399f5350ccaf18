package dev.umoci.mtree;

import java.io.ByteArrayOutputStream;

/**
 * The vis(3) encoding go-mtree applies to file names, link targets and xattr names, with its flags
 * {@code VisWhite | VisOctal | VisGlob}: printable ASCII other than {@code * ? [ #} and backslash
 * stays as is, a backslash becomes {@code \\}, every other byte (space, tab, newline, control
 * characters, glob characters, bytes above 0x7f) becomes a three-digit octal escape {@code \ooo}.
 * The output is pure ASCII and never contains white space.
 *
 * <p>Decoding accepts every escape go-mtree's unvis accepts: {@code \\}, {@code \"}, octal {@code
 * \o}..{@code \ooo}, {@code \xHH}, {@code \^C} control, {@code \M-C} and {@code \M^C} meta, the C
 * escapes {@code \n \r \b \a \v \t \f \s \E} and the hidden {@code \<newline>} and {@code \$}.
 * Other characters are copied byte for byte.
 */
public final class Vis {
  private Vis() {}

  /** The escaped form of {@code raw}. */
  public static String encode(byte[] raw) {
    StringBuilder out = new StringBuilder(raw.length + 8);
    for (byte b : raw) {
      int c = b & 0xff;
      if (c == '\\') {
        out.append("\\\\");
      } else if (c > 0x20 && c < 0x7f && c != '*' && c != '?' && c != '[' && c != '#') {
        out.append((char) c);
      } else {
        out.append('\\')
            .append((char) ('0' + ((c >> 6) & 7)))
            .append((char) ('0' + ((c >> 3) & 7)))
            .append((char) ('0' + (c & 7)));
      }
    }
    return out.toString();
  }

  /**
   * The raw bytes of the escaped text {@code escaped}, whose characters are bytes (ISO-8859-1) as
   * read from a spec file.
   *
   * @throws IllegalArgumentException naming the bad escape sequence
   */
  public static byte[] decode(String escaped) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(escaped.length());
    int i = 0;
    int n = escaped.length();
    while (i < n) {
      char ch = escaped.charAt(i++);
      if (ch != '\\') {
        out.write(ch);
        continue;
      }
      if (i >= n) {
        throw bad(escaped, "ends inside an escape sequence");
      }
      char e = escaped.charAt(i);
      switch (e) {
        case '\\', '"' -> {
          out.write(e);
          i++;
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          int code = 0;
          int digits = 0;
          while (digits < 3 && i < n && escaped.charAt(i) >= '0' && escaped.charAt(i) <= '7') {
            code = code * 8 + (escaped.charAt(i) - '0');
            i++;
            digits++;
          }
          if (code > 0xff) {
            throw bad(escaped, "octal escape above \\377");
          }
          out.write(code);
        }
        case 'x' -> {
          i++;
          if (i + 2 > n || hex(escaped.charAt(i)) < 0 || hex(escaped.charAt(i + 1)) < 0) {
            throw bad(escaped, "\\x needs two hex digits");
          }
          out.write(hex(escaped.charAt(i)) * 16 + hex(escaped.charAt(i + 1)));
          i += 2;
        }
        case '^' -> {
          i++;
          i = control(escaped, i, 0, out);
        }
        case 'M' -> {
          i++;
          if (i >= n) {
            throw bad(escaped, "ends inside a \\M escape");
          }
          char m = escaped.charAt(i++);
          if (m == '^') {
            i = control(escaped, i, 0x80, out);
          } else if (m == '-') {
            if (i >= n) {
              throw bad(escaped, "ends inside a \\M- escape");
            }
            out.write(0x80 | (escaped.charAt(i++) & 0xff));
          } else {
            throw bad(escaped, "unknown escape \\M" + m);
          }
        }
        default -> {
          i++;
          int c =
              switch (e) {
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 'b' -> '\b';
                case 'a' -> 0x07;
                case 'v' -> 0x0b;
                case 't' -> '\t';
                case 'f' -> '\f';
                case 's' -> ' ';
                case 'E' -> 0x1b;
                case '\n', '$' -> -1;
                default -> throw bad(escaped, "unknown escape \\" + e);
              };
          if (c >= 0) {
            out.write(c);
          }
        }
      }
    }
    return out.toByteArray();
  }

  private static int control(String s, int i, int mask, ByteArrayOutputStream out) {
    if (i >= s.length()) {
      throw bad(s, "ends inside a \\^ escape");
    }
    char c = s.charAt(i);
    out.write(mask | (c == '?' ? 0x7f : (c & 0x1f)));
    return i + 1;
  }

  private static int hex(char c) {
    return c < 0x80 ? Character.digit(c, 16) : -1;
  }

  private static IllegalArgumentException bad(String escaped, String why) {
    return new IllegalArgumentException("invalid vis escape in \"" + escaped + "\": " + why);
  }
}
