package dev.umoci.mtree;

import java.util.List;
import java.util.Objects;

/**
 * One file that differs between an old (expected) spec and a new (actual) one. {@code oldEntry} is
 * null for {@link DeltaType#EXTRA}, {@code newEntry} for {@link DeltaType#MISSING}; {@code keys} is
 * empty unless the type is {@link DeltaType#MODIFIED}, and then sorted by keyword.
 */
public record InodeDelta(
    DeltaType type, EntryPath path, MtreeEntry oldEntry, MtreeEntry newEntry, List<KeyDelta> keys) {
  public InodeDelta {
    Objects.requireNonNull(type);
    Objects.requireNonNull(path);
    keys = List.copyOf(keys);
  }

  /** The keyword delta for {@code keyword}, or null. */
  public KeyDelta key(String keyword) {
    for (KeyDelta k : keys) {
      if (k.keyword().equals(keyword)) {
        return k;
      }
    }
    return null;
  }

  /**
   * go-mtree's {@code InodeDelta.String()}, which umoci's {@code raw mtree-validate} prints: {@code
   * "path": keyword "k": expected OLD; got NEW} (first differing keyword), {@code "path":
   * unexpected path}, {@code "path": missing path}.
   */
  public String describe() {
    return switch (type) {
      case MODIFIED -> {
        KeyDelta k = keys.get(0);
        yield path.quoted()
            + ": keyword "
            + GoQuote.quote(k.keyword().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
            + ": expected "
            + (k.oldValue() == null ? "" : k.oldValue())
            + "; got "
            + (k.newValue() == null ? "" : k.newValue());
      }
      case EXTRA -> path.quoted() + ": unexpected path";
      case MISSING -> path.quoted() + ": missing path";
    };
  }

  @Override
  public String toString() {
    return describe();
  }
}
