package dev.umoci.mtree;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Filters over deltas as umoci's {@code mtreefilter} package: masks ({@code repack --mask-path},
 * volumes) and the simplification of deletions that Docker requires.
 */
public final class DeltaFilters {
  private DeltaFilters() {}

  /**
   * Keeps deltas whose path is neither a mask nor below one. Masks are paths relative to the root
   * ({@code /var/log} and {@code var/log} are the same), matched lexically.
   */
  public static Predicate<InodeDelta> mask(Collection<String> masks) {
    Set<EntryPath> masked = new HashSet<>();
    for (String m : masks) {
      masked.add(EntryPath.of(m));
    }
    return d -> !coveredBy(d.path(), masked, true);
  }

  /**
   * Drops each delta below a path that is missing or that is now a non-directory (a directory
   * replaced by a symlink, file, device...): deleting a directory needs one whiteout, not one per
   * file inside it (Docker requires this), and a non-directory entry replaces the whole directory
   * when a layer is applied (image-spec "Changesets"). A whiteout {@code d/.wh.f} emitted after the
   * symlink {@code d} would be resolved through that symlink by unpackers (umoci's among them) and
   * delete a file the user never touched.
   */
  public static Predicate<InodeDelta> simplify(Collection<InodeDelta> deltas) {
    Set<EntryPath> replaced = new HashSet<>();
    for (InodeDelta d : deltas) {
      if (d.type() == DeltaType.MISSING
          || (d.newEntry() != null && d.newEntry().type() != null && !d.newEntry().isDirectory())) {
        replaced.add(d.path());
      }
    }
    return d -> !coveredBy(d.path(), replaced, false);
  }

  /** The deltas every filter keeps, in their order. */
  @SafeVarargs
  public static List<InodeDelta> apply(
      Collection<InodeDelta> deltas, Predicate<InodeDelta>... filters) {
    List<InodeDelta> out = new ArrayList<>();
    outer:
    for (InodeDelta d : deltas) {
      for (Predicate<InodeDelta> f : filters) {
        if (!f.test(d)) {
          continue outer;
        }
      }
      out.add(d);
    }
    return out;
  }

  /** As umoci's maskFilter: the root itself is never matched, so a mask of "/" masks nothing. */
  private static boolean coveredBy(EntryPath path, Set<EntryPath> set, boolean includeSelf) {
    if (path.isRoot()) {
      return false;
    }
    if (includeSelf && set.contains(path)) {
      return true;
    }
    for (EntryPath p = path.parent(); !p.isRoot(); p = p.parent()) {
      if (set.contains(p)) {
        return true;
      }
    }
    return false;
  }
}
