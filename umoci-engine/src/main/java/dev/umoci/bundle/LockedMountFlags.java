package dev.umoci.bundle;

import dev.umoci.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mount flags of the filesystem holding a path that the kernel locks for unprivileged
 * (user-namespace) bind mounts, as mount options: a rootless bind mount must repeat them or the
 * mount fails. Read with {@code statvfs(3)}, which follows symlinks like umoci's {@code statfs}.
 */
final class LockedMountFlags {
  private LockedMountFlags() {}

  /**
   * The MS_* masks umoci tests against the statfs flags, in the order the options are emitted. They
   * equal the ST_* bits statfs reports except MS_RELATIME (1 << 21, ST_RELATIME is 4096), so umoci
   * never emits {@code relatime}; that is kept for byte-identical configs.
   */
  private static final long[] FLAGS = {1, 4, 8, 2, 1024, 1 << 21, 2048};

  private static final String[] NAMES = {
    "ro", "nodev", "noexec", "nosuid", "noatime", "relatime", "nodiratime"
  };

  /** The locked options of the mount holding {@code path}, in a fixed order. */
  static List<String> of(Path path) throws IOException {
    return options(Syscalls.statvfsFlags(path));
  }

  /** The option names of the locked flags set in {@code flags}. */
  static List<String> options(long flags) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < FLAGS.length; i++) {
      if ((flags & FLAGS[i]) == FLAGS[i]) {
        out.add(NAMES[i]);
      }
    }
    return out;
  }
}
