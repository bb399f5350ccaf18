package dev.umoci.sys;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Temporary trees to remove when the JVM shuts down before their owner could: a command or a Maven
 * build stopped by SIGINT (Ctrl-C) or SIGTERM while it writes would otherwise leave them behind,
 * such as a layout's {@code .umoci-*} directory with the partial blobs of a pull (up to a whole
 * image's bytes), the temporary layout of a copy between registries, or an unfinished bundle. A
 * tree is registered when it is made and the registration closed when its owner removes it, so a
 * command that ends normally leaves nothing for the hook. A SIGKILL or a crash runs no hook; {@code
 * gc} removes what those leave in a layout.
 */
public final class ExitRemovals {
  private static final Set<Registration> OPEN = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private ExitRemovals() {}

  /** A removal that runs at shutdown unless {@link #close} is called first. */
  public static final class Registration implements AutoCloseable {
    private final Runnable removal;

    private Registration(Runnable removal) {
      this.removal = removal;
    }

    /** Whether the tree is still to be removed at shutdown. */
    public boolean pending() {
      return OPEN.contains(this);
    }

    /** Runs the removal now (what the hook does), once: the registration is closed first. */
    public void removeNow() {
      if (OPEN.remove(this)) {
        removal.run();
      }
    }

    /** The owner removed the tree (or keeps it): nothing to do at shutdown. Idempotent. */
    @Override
    public void close() {
      OPEN.remove(this);
    }
  }

  /**
   * Has {@code tree} removed at shutdown until the returned registration is closed. The command's
   * other threads may still be writing into it then, so a removal that meets a file made after it
   * listed a directory is tried again; what still fails is left ({@code gc} removes it from a
   * layout).
   */
  public static Registration register(Path tree) {
    return register(() -> removeTree(tree));
  }

  /**
   * Has {@code removal} run at shutdown until the returned registration is closed: for an owner
   * whose removal depends on what it finds then (such as a layout that may have gained a tag). It
   * runs on the hook's thread while the command's other threads go on, and must not throw.
   */
  public static Registration register(Runnable removal) {
    if (HOOKED.compareAndSet(false, true)) {
      try {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitRemovals::run, "umoci-exit-removals"));
      } catch (IllegalStateException e) {
        // the JVM is shutting down already: the command is being stopped anyway
      }
    }
    Registration r = new Registration(removal);
    OPEN.add(r);
    return r;
  }

  private static void removeTree(Path tree) {
    for (int attempt = 1; ; attempt++) {
      try {
        TreeRemover.direct().remove(tree);
        return;
      } catch (IOException e) {
        if (attempt == 3) {
          return;
        }
      }
    }
  }

  private static void run() {
    for (Registration r : OPEN) {
      r.removeNow();
    }
  }
}
