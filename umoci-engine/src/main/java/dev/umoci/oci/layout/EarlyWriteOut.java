package dev.umoci.oci.layout;

import dev.umoci.sys.ErrnoException;
import dev.umoci.sys.Syscalls;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves a blob's temporary file towards the disk while it is still being written, so that the fsync
 * of {@link BlobWriter#commit()} waits only for its last few megabytes instead of the whole blob:
 *
 * <ul>
 *   <li>every {@value #WINDOW} bytes written, it starts the kernel's write-out of the file's dirty
 *       pages ({@link Syscalls#startWriteOut}, without waiting);
 *   <li>every {@value #WINDOWS_PER_SYNC} windows, it asks for the data written so far to be made
 *       durable ({@link Syscalls#syncData}, fdatasync) on a background thread, at most one at a
 *       time per file, the writer never waiting for it. Write-out alone hands the pages to the
 *       device; a device with a volatile write cache (a virtual machine's disk, many SSDs) makes
 *       them durable only when flushed, and the one flush of the commit then waited for all of
 *       them: on this project's 2-core VM the commits of a 267 MB pull waited 0.26-0.36 s after the
 *       last byte arrived, and a test writer's final fsync of 107 MB took 0.14-0.16 s, 0.02-0.04 s
 *       with these syncs; the pull went from 1.23 to 1.09 s (docs/performance.md, registry,
 *       seventeenth round).
 * </ul>
 *
 * <p>Only hints: durability still comes from the fsync at commit, which reports a write error even
 * when a background sync saw it first (the kernel reports it to every descriptor open before it); a
 * failure of any kind (a filesystem or C library without {@code sync_file_range}, a descriptor that
 * cannot be opened) turns the hint off for this file, silently. Both hints use one read-only
 * descriptor, separate from the writer's, opened on the first window (small blobs never open one),
 * which {@link #close()} releases after waiting for a background sync still running on it.
 * Thread-safe: the parts of a blob written on other threads count too.
 */
final class EarlyWriteOut implements AutoCloseable {
  /** Bytes written between two write-outs: large enough that the calls cost nothing. */
  static final long WINDOW = 8L << 20;

  /** Write-outs between two background syncs. */
  static final int WINDOWS_PER_SYNC = 2;

  /**
   * System property that replaces {@link #WINDOW} for the writers created after it is set: only for
   * the class-data-sharing training ({@code dev.umoci.cds}), whose blobs are a few bytes long.
   */
  static final String WINDOW_PROPERTY = "umoci.layout.writeOutWindow";

  private final Path file;
  private final long window;
  private final AtomicLong pending = new AtomicLong();
  private int fd = -1;
  private boolean off;
  private int windows;
  private Future<?> syncing;
  private volatile boolean syncOff;
  private int syncs;

  EarlyWriteOut(Path file) {
    this(file, Long.getLong(WINDOW_PROPERTY, WINDOW));
  }

  /** With a window of {@code window} bytes instead of {@link #WINDOW}. */
  EarlyWriteOut(Path file, long window) {
    this.file = file;
    this.window = window;
  }

  /** Counts {@code bytes} more written; starts a write-out when a window is full. */
  void written(long bytes) {
    if (pending.addAndGet(bytes) >= window) {
      pending.set(0);
      startWriteOut();
    }
  }

  private synchronized void startWriteOut() {
    if (off) {
      return;
    }
    try {
      if (fd < 0) {
        fd = Syscalls.openReadOnly(file);
      }
      Syscalls.startWriteOut(fd, file);
    } catch (ErrnoException | LinkageError e) {
      off = true;
      return;
    }
    if (++windows % WINDOWS_PER_SYNC == 0 && !syncOff && (syncing == null || syncing.isDone())) {
      try {
        syncing = Syncs.POOL.submit(new DataSync(this, fd));
        syncs++;
      } catch (RejectedExecutionException | OutOfMemoryError e) {
        syncOff = true; // no thread for a hint (the JVM's thread limit): the write goes on without
      }
    }
  }

  /** Background syncs started so far. */
  synchronized int syncs() {
    return syncs;
  }

  /** Waits for a background sync still running, then releases the descriptor, if one was opened. */
  @Override
  public synchronized void close() {
    off = true;
    if (syncing != null) {
      awaitUninterruptibly(syncing);
      syncing = null;
    }
    if (fd >= 0) {
      Syscalls.closeQuietly(fd);
      fd = -1;
    }
  }

  /** The descriptor stays open until the sync returns: another file could get its number. */
  private static void awaitUninterruptibly(Future<?> sync) {
    boolean interrupted = false;
    while (true) {
      try {
        sync.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        break; // DataSync catches what it expects; anything else changes nothing here
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** One background fdatasync of a writer's descriptor; a failure stops that writer's syncs. */
  private static final class DataSync implements Runnable {
    private final EarlyWriteOut owner;
    private final int fd;

    DataSync(EarlyWriteOut owner, int fd) {
      this.owner = owner;
      this.fd = fd;
    }

    @Override
    public void run() {
      try {
        Syscalls.syncData(fd, owner.file);
      } catch (ErrnoException | LinkageError e) {
        owner.syncOff = true;
      }
    }
  }

  /** The daemon threads of the background syncs, created when first needed, idle ones reused. */
  private static final class Syncs {
    private static final AtomicInteger THREADS = new AtomicInteger();
    static final ExecutorService POOL =
        Executors.newCachedThreadPool(
            task -> {
              Thread t = new Thread(task, "umoci-sync-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });

    private Syncs() {}
  }
}
