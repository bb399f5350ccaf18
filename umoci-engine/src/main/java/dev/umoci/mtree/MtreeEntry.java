package dev.umoci.mtree;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A file as an mtree spec describes it: its clean path and every keyword that applies to it, the
 * {@code /set} defaults in force merged with the entry's own fields (the entry wins; for a repeated
 * keyword the last field wins). Keys are full keywords ({@code xattr.user.foo}); values are as
 * written (link targets and xattr names vis-escaped).
 */
public final class MtreeEntry {
  private final EntryPath path;
  private final Map<String, String> keywords;

  public MtreeEntry(EntryPath path, Map<String, String> keywords) {
    this.path = Objects.requireNonNull(path);
    this.keywords = Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
  }

  public EntryPath path() {
    return path;
  }

  /** All keywords in force, in spec order (defaults first). */
  public Map<String, String> keywords() {
    return keywords;
  }

  /** The value of {@code keyword}, or null. */
  public String value(String keyword) {
    return keywords.get(keyword);
  }

  /** The {@code type} value ({@code file}, {@code dir}, {@code link}, ...), or null. */
  public String type() {
    return keywords.get("type");
  }

  public boolean isDirectory() {
    return "dir".equals(type());
  }

  /** The symlink target as raw bytes (unescaped), or null when there is no {@code link}. */
  public byte[] linkTarget() {
    String link = keywords.get("link");
    return link == null ? null : Vis.decode(link);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MtreeEntry e && path.equals(e.path) && keywords.equals(e.keywords);
  }

  @Override
  public int hashCode() {
    return path.hashCode() * 31 + keywords.hashCode();
  }

  @Override
  public String toString() {
    return path + " " + keywords;
  }
}
