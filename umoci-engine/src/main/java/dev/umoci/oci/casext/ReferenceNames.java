package dev.umoci.oci.casext;

import dev.umoci.errors.InvalidArgumentException;
import java.util.regex.Pattern;

/**
 * The grammar of tag (reference) names, as umoci accepts them: {@code component ("/" component)*},
 * {@code component ::= alphanum (separator alphanum)*}, {@code separator ::= [-._:@+] | "--"}.
 */
public final class ReferenceNames {
  private ReferenceNames() {}

  private static final String COMPONENT = "[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*";
  private static final Pattern NAME = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

  /** True when {@code name} is a valid tag name. */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
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
