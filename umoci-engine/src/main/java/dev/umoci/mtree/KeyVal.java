package dev.umoci.mtree;

import java.util.Objects;

/**
 * One {@code keyword=value} field of an mtree line. The keyword includes any suffix ({@code
 * xattr.user.foo}); {@link #prefix()} is the part before the first dot. A field written without
 * {@code =} (BSD flags such as {@code ignore} or {@code optional}) has a null value; such fields
 * are kept for writing but take no part in comparison.
 *
 * <p>Text is as written in the spec: link targets and xattr names stay vis-escaped. Characters are
 * bytes (ISO-8859-1) so that any byte survives a read and a write; values go-mtree produces are
 * ASCII.
 */
public record KeyVal(String keyword, String value) {
  public KeyVal {
    Objects.requireNonNull(keyword, "keyword");
  }

  /** Parses one field as go-mtree does: split at the first {@code =}. */
  public static KeyVal parse(String field) {
    int eq = field.indexOf('=');
    if (eq < 0) {
      return new KeyVal(field, null);
    }
    return new KeyVal(field.substring(0, eq), field.substring(eq + 1));
  }

  /** True when the field had a {@code =}. */
  public boolean hasValue() {
    return value != null;
  }

  /** The keyword up to its first dot: {@code xattr} for {@code xattr.user.foo}. */
  public String prefix() {
    return Keywords.prefix(keyword);
  }

  /** The field as written: {@code keyword=value}, or the bare word. */
  public String text() {
    return value == null ? keyword : keyword + "=" + value;
  }

  @Override
  public String toString() {
    return text();
  }
}
