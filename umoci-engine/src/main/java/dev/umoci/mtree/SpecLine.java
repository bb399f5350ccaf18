package dev.umoci.mtree;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One line of an mtree(5) document, in the order written. go-mtree writes, per directory: a blank
 * line, a comment with the directory's path, a {@code /set} line when the owner changes, the
 * directory's relative entry, the entries of its non-directory children, its sub-directories, then
 * {@code ..}.
 */
public sealed interface SpecLine {

  /** A comment line, text including the leading {@code #}, exactly as its bytes. */
  record Comment(byte[] text) implements SpecLine {
    public Comment {
      text = text.clone();
    }

    public static Comment of(String text) {
      return new Comment(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] text() {
      return text.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Comment c && Arrays.equals(text, c.text);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(text);
    }

    @Override
    public String toString() {
      return new String(text, StandardCharsets.ISO_8859_1);
    }
  }

  /** An empty line. */
  record Blank() implements SpecLine {}

  /**
   * A line starting with {@code /}. go-mtree gives meaning to two: {@code /set} replaces the
   * defaults applied to the following entries with {@code keyVals}; {@code /unset} (whatever its
   * arguments) clears them. Others are kept and ignored.
   */
  record Special(String command, List<KeyVal> keyVals) implements SpecLine {
    public Special {
      Objects.requireNonNull(command);
      keyVals = List.copyOf(keyVals);
    }

    public static Special set(List<KeyVal> keyVals) {
      return new Special("/set", keyVals);
    }

    public boolean isSet() {
      return command.equals("/set");
    }

    public boolean isUnset() {
      return command.equals("/unset");
    }
  }

  /** {@code ..}: the end of the current directory's entries. */
  record DotDot() implements SpecLine {}

  /**
   * A file entry. {@code name} is raw bytes (not escaped). A relative entry ({@code full == false})
   * names one component inside the current directory and, when of {@code type=dir}, makes itself
   * the current directory. A full entry carries a whole path (it contains a slash) and does not
   * change the current directory.
   */
  record Entry(byte[] name, boolean full, List<KeyVal> keyVals) implements SpecLine {
    public Entry {
      name = name.clone();
      keyVals = List.copyOf(keyVals);
    }

    @Override
    public byte[] name() {
      return name.clone();
    }

    /** True when the entry's own fields say {@code type=dir} (the last type field counts). */
    public boolean isDirectory() {
      String type = null;
      for (KeyVal kv : keyVals) {
        if (kv.keyword().equals("type")) {
          type = kv.value();
        }
      }
      return "dir".equals(type);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e
          && full == e.full
          && Arrays.equals(name, e.name)
          && keyVals.equals(e.keyVals);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(name) * 31 + keyVals.hashCode();
    }

    @Override
    public String toString() {
      return Vis.encode(name) + " " + keyVals;
    }
  }
}
