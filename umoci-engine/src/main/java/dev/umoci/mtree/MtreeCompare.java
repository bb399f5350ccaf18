package dev.umoci.mtree;

import dev.umoci.errors.MtreeFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares mtree specs with go-mtree's {@code Compare}/{@code Check} semantics (v0.7, as umoci 0.6
 * uses them):
 *
 * <ul>
 *   <li>Files are matched by clean path. Only in the old spec: {@link DeltaType#MISSING}; only in
 *       the new: {@link DeltaType#EXTRA}; in both with differing keywords: {@link
 *       DeltaType#MODIFIED}.
 *   <li>Keywords are compared with the {@code /set} defaults merged in, by full name (each {@code
 *       xattr.<name>} separately). A keyword on one side only is a missing or extra key delta; so
 *       an added or removed xattr, or a {@code link} appearing when a file becomes a symlink, makes
 *       the file modified.
 *   <li>When either side has {@code tar_time} and either side has {@code time}, {@code time} is
 *       dropped and, on the side without {@code tar_time}, turned into {@code tar_time} (seconds
 *       kept, nanoseconds zeroed): tar manifests compare with filesystem ones at second precision.
 *   <li>Only key deltas whose keyword prefix is in the compared set count ({@code time} and {@code
 *       tar_time} stand for each other); a null set counts all. Nothing is ignored per type: a
 *       directory whose {@code size} or {@code nlink} changed is modified, as in go-mtree.
 * </ul>
 *
 * Deltas come back sorted by path (byte order), as umoci sorts them before generating a layer.
 */
public final class MtreeCompare {
  private static final Pattern GO_TIME = Pattern.compile("([+-]?[0-9]+)\\.[+-]?[0-9]+");

  private MtreeCompare() {}

  /**
   * The differences from {@code oldSpec} (expected) to {@code newSpec} (actual) over {@code
   * keywords} (null: all keywords).
   *
   * @throws MtreeFormatException when a {@code time} value cannot be converted to {@code tar_time}
   */
  public static List<InodeDelta> compare(
      MtreeSpec oldSpec, MtreeSpec newSpec, Collection<String> keywords)
      throws MtreeFormatException {
    Map<EntryPath, MtreeEntry> olds = oldSpec == null ? Map.of() : oldSpec.byPath();
    Map<EntryPath, MtreeEntry> news = newSpec == null ? Map.of() : newSpec.byPath();
    TreeSet<EntryPath> paths = new TreeSet<>(olds.keySet());
    paths.addAll(news.keySet());
    List<InodeDelta> out = new ArrayList<>();
    for (EntryPath path : paths) {
      MtreeEntry o = olds.get(path);
      MtreeEntry n = news.get(path);
      if (n == null) {
        out.add(new InodeDelta(DeltaType.MISSING, path, o, null, List.of()));
      } else if (o == null) {
        out.add(new InodeDelta(DeltaType.EXTRA, path, null, n, List.of()));
      } else {
        List<KeyDelta> keys = compareEntries(o, n, keywords);
        if (!keys.isEmpty()) {
          out.add(new InodeDelta(DeltaType.MODIFIED, path, o, n, keys));
        }
      }
    }
    return out;
  }

  /**
   * go-mtree's {@code Check}: walks {@code root} with {@code keywords} (null: those the spec uses)
   * and compares {@code spec} against the result.
   */
  public static List<InodeDelta> check(Path root, MtreeSpec spec, Collection<String> keywords)
      throws IOException {
    List<String> keys = keywords == null ? spec.usedKeywords() : List.copyOf(keywords);
    MtreeWalker walker = MtreeWalker.builder().keywords(keys).header(null).build();
    return compare(spec, walker.walk(root), keys);
  }

  /**
   * {@link #check(Path, MtreeSpec, Collection)} with a walker configured by the caller (rootless
   * access, digest cache, owner mapping). The walker's keywords are the compared set.
   */
  public static List<InodeDelta> check(Path root, MtreeSpec spec, MtreeWalker walker)
      throws IOException {
    return compare(spec, walker.walk(root), walker.keywords());
  }

  /** The key deltas between two entries, sorted by keyword, filtered by {@code keywords}. */
  public static List<KeyDelta> compareEntries(
      MtreeEntry oldEntry, MtreeEntry newEntry, Collection<String> keywords)
      throws MtreeFormatException {
    if (oldEntry.keywords().equals(newEntry.keywords())) {
      return List.of(); // the common case when every path is compared: nothing to convert
    }
    Map<String, String> o = new LinkedHashMap<>(oldEntry.keywords());
    Map<String, String> n = new LinkedHashMap<>(newEntry.keywords());
    if ((o.containsKey("tar_time") || n.containsKey("tar_time"))
        && (o.containsKey("time") || n.containsKey("time"))) {
      String oldTime = o.remove("time");
      String newTime = n.remove("time");
      if (oldTime != null && !o.containsKey("tar_time")) {
        o.put("tar_time", tarTime(oldTime, oldEntry));
      } else if (newTime != null && !n.containsKey("tar_time")) {
        n.put("tar_time", tarTime(newTime, newEntry));
      }
    }
    Map<String, KeyDelta> deltas = new TreeMap<>(Comparator.naturalOrder());
    for (Map.Entry<String, String> e : o.entrySet()) {
      String k = e.getKey();
      String nv = n.get(k);
      if (nv == null) {
        deltas.put(k, new KeyDelta(DeltaType.MISSING, k, e.getValue(), null));
      } else if (!nv.equals(e.getValue())) {
        deltas.put(k, new KeyDelta(DeltaType.MODIFIED, k, e.getValue(), nv));
      }
    }
    for (Map.Entry<String, String> e : n.entrySet()) {
      if (!o.containsKey(e.getKey())) {
        deltas.put(e.getKey(), new KeyDelta(DeltaType.EXTRA, e.getKey(), null, e.getValue()));
      }
    }
    List<KeyDelta> out = new ArrayList<>();
    for (KeyDelta d : deltas.values()) {
      if (keywords == null || Keywords.selected(d.keyword(), keywords)) {
        out.add(d);
      }
    }
    return out;
  }

  private static String tarTime(String time, MtreeEntry entry) throws MtreeFormatException {
    Matcher m = GO_TIME.matcher(time);
    if (!m.matches()) {
      throw new MtreeFormatException(
          "invalid mtree time value \"" + time + "\" for " + entry.path().quoted());
    }
    return Long.parseLong(m.group(1)) + ".000000000";
  }
}
