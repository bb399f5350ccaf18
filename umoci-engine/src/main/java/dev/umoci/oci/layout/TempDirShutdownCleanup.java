package dev.umoci.oci.layout;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Removes, when the JVM shuts down, the temporary directories of layouts that are still open: a
 * command or a Maven build stopped by SIGINT (Ctrl-C) or SIGTERM while it writes would otherwise
 * leave its partial blobs (up to a whole image's bytes during a pull) in a {@code .umoci-*}
 * directory until the next {@code gc}, which nobody runs on the per-user base-image cache. A
 * directory is registered when it is made and dropped when its layout closes, so a command that
 * ends normally leaves nothing here for the hook. What is published stays: every blob and {@code
 * index.json} is renamed into place whole or not at all. A SIGKILL or a crash runs no hook; {@code
 * gc} removes what those leave (and the base-image cache does so before it pulls).
 */
final class TempDirShutdownCleanup {
  private static final Set<LayoutTempDir> OPEN = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private TempDirShutdownCleanup() {}

  /** Has {@code dir} removed at shutdown unless {@link #forget} is called first. */
  static void remember(LayoutTempDir dir) {
    if (HOOKED.compareAndSet(false, true)) {
      try {
        Runtime.getRuntime()
            .addShutdownHook(new Thread(TempDirShutdownCleanup::run, "umoci-temp-cleanup"));
      } catch (IllegalStateException e) {
        // the JVM is shutting down already: the command is being stopped anyway
      }
    }
    OPEN.add(dir);
  }

  static void forget(LayoutTempDir dir) {
    OPEN.remove(dir);
  }

  /** Whether {@code dir} would be removed at shutdown now (for tests). */
  static boolean remembers(LayoutTempDir dir) {
    return OPEN.contains(dir);
  }

  private static void run() {
    for (LayoutTempDir dir : OPEN) {
      dir.abandon();
    }
  }
}
