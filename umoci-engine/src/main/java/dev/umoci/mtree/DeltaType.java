package dev.umoci.mtree;

/** How a file or a keyword differs between the old (expected) and the new (actual) side. */
public enum DeltaType {
  /** Present in the old spec, absent from the new one (a deleted file or keyword). */
  MISSING("missing"),
  /** Absent from the old spec, present in the new one (an added file or keyword). */
  EXTRA("extra"),
  /** Present in both with different values. */
  MODIFIED("modified");

  private final String goName;

  DeltaType(String goName) {
    this.goName = goName;
  }

  /** go-mtree's name of the difference type. */
  public String goName() {
    return goName;
  }
}
