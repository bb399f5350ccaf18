package dev.umoci.ops;

import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes a directory tree without following symlinks. A directory lacking owner read, write or
 * search permission is given them first, so that an unprivileged user can remove a rootfs it
 * extracted (a distribution rootfs has such directories; {@code rm -rf} fails on them).
 */
final class TreeRemover {
  private final PosixFs fs;

  TreeRemover(PosixFs fs) {
    this.fs = fs;
  }

  /** Removes {@code path} and everything below it; a missing path is not an error. */
  void remove(Path path) throws IOException {
    FileStat st = fs.lstatOrNull(path);
    if (st == null) {
      return;
    }
    if (st.isDirectory()) {
      if ((st.permissions() & 0700) != 0700) {
        fs.chmod(path, st.permissions() | 0700);
      }
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
        ds.forEach(children::add);
      }
      for (Path child : children) {
        remove(child);
      }
    }
    Files.deleteIfExists(path);
  }
}
