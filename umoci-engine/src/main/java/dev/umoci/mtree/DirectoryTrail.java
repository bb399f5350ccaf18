package dev.umoci.mtree;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * go-mtree's rule for the path of an entry, read in document order: a relative entry's path is the
 * current directory's joined with its name, and a relative {@code type=dir} entry becomes the
 * current directory until the matching {@code ..}; a full entry's path is its own cleaned name.
 */
final class DirectoryTrail {
  private final Deque<EntryPath> dirs = new ArrayDeque<>();

  /** The path of {@code e}, entering it when it is a relative directory. */
  EntryPath enter(SpecLine.Entry e) {
    EntryPath path;
    if (e.full() || dirs.isEmpty()) {
      path = EntryPath.of(e.name());
    } else {
      path = dirs.peek().resolve(EntryPath.of(e.name()).bytes());
    }
    if (!e.full() && e.isDirectory()) {
      dirs.push(path);
    }
    return path;
  }

  /** A {@code ..} line: back to the parent (nothing above the root). */
  void leave() {
    if (!dirs.isEmpty()) {
      dirs.pop();
    }
  }
}
