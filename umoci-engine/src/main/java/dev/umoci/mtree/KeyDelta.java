package dev.umoci.mtree;

import java.util.Objects;

/**
 * One keyword that differs for a file. {@code oldValue} is null for {@link DeltaType#EXTRA}, {@code
 * newValue} for {@link DeltaType#MISSING}. Values are as written in a spec.
 */
public record KeyDelta(DeltaType type, String keyword, String oldValue, String newValue) {
  public KeyDelta {
    Objects.requireNonNull(type);
    Objects.requireNonNull(keyword);
  }
}
