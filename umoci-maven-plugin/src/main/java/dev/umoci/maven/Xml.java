package dev.umoci.maven;

/** Formats a parameter the way a user wrote it in the POM, for error messages. */
final class Xml {
  private Xml() {}

  /** {@code <name>value</name>}, or {@code <name/>} for a null value. */
  static String element(String name, Object value) {
    return value == null ? "<" + name + "/>" : "<" + name + ">" + value + "</" + name + ">";
  }
}
