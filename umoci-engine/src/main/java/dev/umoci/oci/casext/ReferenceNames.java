package dev.umoci.oci.casext;

import dev.umoci.errors.InvalidArgumentException;

/**
 * The grammar of tag (reference) names, as umoci accepts them: {@code component ("/" component)*},
 * {@code component ::= alphanum (separator alphanum)*}, {@code separator ::= [-._:@+] | "--"}.
 *
 * <p>Matched by hand in one pass rather than with umoci's regular expression: {@code
 * java.util.regex} recurses once per repetition of a group, so a long name such as {@code
 * a-a-a-...} (found by fuzzing) overflowed the stack.
 */
public final class ReferenceNames {
  private ReferenceNames() {}

  /** True when {@code name} is a valid tag name. Linear in its length, no recursion. */
  public static boolean isValid(String name) {
    if (name == null) {
      return false;
    }
    int n = name.length();
    int i = 0;
    while (true) {
      i = alphanumRun(name, i); // a component starts with alphanumerics
      if (i < 0) {
        return false;
      }
      while (i < n && name.charAt(i) != '/') {
        char c = name.charAt(i);
        if (c == '-' && i + 1 < n && name.charAt(i + 1) == '-') {
          i += 2; // "--": a single '-' could not be followed by another '-' either
        } else if ("-._:@+".indexOf(c) >= 0) {
          i++;
        } else {
          return false;
        }
        i = alphanumRun(name, i);
        if (i < 0) {
          return false;
        }
      }
      if (i == n) {
        return true;
      }
      i++; // the '/' between components
    }
  }

  /** The index after the run of ASCII letters and digits starting at {@code i}; -1 if empty. */
  private static int alphanumRun(String s, int i) {
    int start = i;
    while (i < s.length() && isAlphanum(s.charAt(i))) {
      i++;
    }
    return i == start ? -1 : i;
  }

  private static boolean isAlphanum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /**
   * Checks {@code name}; {@code what} names its origin in the message (for example {@code
   * "--image"} or {@code "tag"}).
   */
  public static String require(String name, String what) throws InvalidArgumentException {
    if (name == null || name.isEmpty()) {
      throw new InvalidArgumentException("invalid " + what + ": tag is empty");
    }
    if (!isValid(name)) {
      throw new InvalidArgumentException(
          "invalid " + what + ": tag contains invalid characters: \"" + name + "\"");
    }
    return name;
  }
}
