package dev.umoci.oci.layout;

import dev.umoci.errors.LayoutLockedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The locks of one open {@link OciLayout} (the package documentation gives the reasoning): the use
 * lock on {@code blobs/}, passed through the gate on {@code oci-layout}, held from {@link #open} to
 * {@link #close}; and the write lock on the layout directory, held for {@link #withWriteLock}
 * (reentrant within one thread, exclusive between threads and processes). Each wait is bounded;
 * then {@link LayoutLockedException} says who holds the layout.
 */
final class LayoutLocks {
  private static final Logger LOG = LoggerFactory.getLogger(LayoutLocks.class);

  /** Use locks each thread holds, by {@link #useKey}; an entry means "this thread uses it". */
  private static final Map<List<Object>, Integer> THREAD_USES = new ConcurrentHashMap<>();

  private final Path root;
  private final Duration lockWait;
  private final List<Object> useKey;
  private final DirectoryLock useLock;
  private final ReentrantLock writeLock = new ReentrantLock();
  private DirectoryLock heldLayoutLock;

  private LayoutLocks(Path root, Duration lockWait, boolean shared) throws IOException {
    this.root = root;
    this.lockWait = lockWait;
    this.useKey = useKey(root);
    this.useLock = acquireUseLock(shared);
  }

  /**
   * Takes the use lock of the layout at {@code root}: shared for {@link OciLayout.Access#SHARED},
   * exclusive for {@link OciLayout.Access#EXCLUSIVE}.
   *
   * @throws LayoutLockedException when a conflicting user holds it longer than {@code lockWait}
   */
  static LayoutLocks open(Path root, Duration lockWait, OciLayout.Access access)
      throws IOException {
    return new LayoutLocks(root, lockWait, access == OciLayout.Access.SHARED);
  }

  /**
   * Takes the use lock (on {@code blobs/}), passing the gate (a lock on {@code oci-layout}) first:
   * {@code gc} holds the gate exclusive while it waits for the use lock, so users that arrive
   * meanwhile queue behind it instead of starving it; users hold the gate shared only until they
   * have the use lock. A thread that already uses this layout through another open object does not
   * take the gate: it would wait there for a {@code gc} that waits for that very thread.
   */
  private DirectoryLock acquireUseLock(boolean shared) throws IOException {
    Supplier<String> busy =
        () ->
            shared
                ? root
                    + ": layout is being garbage-collected by another process (waited "
                    + describe(lockWait)
                    + "); try again when it is done"
                : root
                    + ": layout is in use by another umoci process (waited "
                    + describe(lockWait)
                    + "); gc needs it to itself: try again when the others are done";
    if (!shared && THREAD_USES.containsKey(useKey)) {
      // It would wait for itself until the wait ran out.
      throw new LayoutLockedException(
          root + ": cannot collect garbage while this thread has the layout open");
    }
    long deadline = System.nanoTime() + lockWait.toNanos();
    Path blobs = root.resolve(OciLayout.BLOBS_DIR);
    DirectoryLock gate = null;
    if (!shared || !THREAD_USES.containsKey(useKey)) {
      gate = waitForLock(root.resolve(OciLayout.LAYOUT_FILE), shared, deadline, busy);
    }
    try {
      DirectoryLock lock = waitForLock(blobs, shared, deadline, busy);
      THREAD_USES.merge(useKey, 1, Integer::sum);
      return lock;
    } finally {
      if (gate != null) {
        gate.close();
      }
    }
  }

  /** The identity of this layout's {@code blobs/} directory and of the opening thread. */
  private static List<Object> useKey(Path root) throws IOException {
    Object blobs =
        Files.readAttributes(root.resolve(OciLayout.BLOBS_DIR), BasicFileAttributes.class)
            .fileKey();
    return List.of(
        blobs == null ? root.toAbsolutePath().normalize() : blobs, Thread.currentThread());
  }

  /**
   * Polls for a lock on {@code file} until {@code deadline} ({@link System#nanoTime()}) has passed.
   *
   * @throws LayoutLockedException with {@code busy}'s message when the wait ran out
   */
  private DirectoryLock waitForLock(Path file, boolean shared, long deadline, Supplier<String> busy)
      throws IOException {
    long sleepMillis = 2;
    try {
      while (true) {
        DirectoryLock lock = DirectoryLock.tryLock(file, shared);
        if (lock != null) {
          return lock;
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new LayoutLockedException(busy.get());
        }
        if (sleepMillis == 2) {
          LOG.info("{}: waiting for another umoci process to release its lock", root);
        }
        Thread.sleep(sleepMillis);
        sleepMillis = Math.min(sleepMillis * 2, 50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayoutLockedException(root + ": interrupted while waiting for the layout lock");
    }
  }

  private static String describe(Duration wait) {
    return wait.toMillis() % 1000 == 0 ? wait.toSeconds() + "s" : wait.toMillis() + "ms";
  }

  /** Runs {@code action} holding the write lock (reentrant within one thread). */
  <T> T withWriteLock(Callable<T> action) throws IOException {
    acquireWriteLock();
    try {
      return action.call();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    } finally {
      releaseWriteLock();
    }
  }

  private void acquireWriteLock() throws IOException {
    writeLock.lock();
    if (writeLock.getHoldCount() > 1) {
      return;
    }
    try {
      heldLayoutLock =
          waitForLock(
              root,
              false,
              System.nanoTime() + lockWait.toNanos(),
              () ->
                  root
                      + ": layout is locked by another writer (waited "
                      + describe(lockWait)
                      + ")");
    } catch (IOException | RuntimeException e) {
      writeLock.unlock();
      throw e;
    }
  }

  private void releaseWriteLock() {
    if (writeLock.getHoldCount() == 1 && heldLayoutLock != null) {
      heldLayoutLock.close();
      heldLayoutLock = null;
    }
    writeLock.unlock();
  }

  /** Drops the use lock. Call once. */
  void close() {
    useLock.close();
    THREAD_USES.computeIfPresent(useKey, (k, n) -> n == 1 ? null : n - 1);
  }
}
