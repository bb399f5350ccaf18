package dev.umoci.registry;

import dev.umoci.errors.TaskFailures;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blob transfers on a few threads. The first failure cancels the rest, and {@link #runAll}
 * returns only after every started transfer has stopped, so the caller can clean up safely.
 */
final class Transfers {
  private Transfers() {}

  /** One transfer. */
  @FunctionalInterface
  interface Task {
    void run() throws IOException;
  }

  private static final AtomicInteger THREADS = new AtomicInteger();

  static void runAll(List<Task> tasks, int parallelism) throws IOException {
    if (tasks.isEmpty()) {
      return;
    }
    if (tasks.size() == 1 || parallelism == 1) {
      for (Task t : tasks) {
        t.run();
      }
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(parallelism, tasks.size()),
            r -> {
              Thread t = new Thread(r, "umoci-transfer-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    List<Future<Void>> futures = new ArrayList<>();
    try {
      for (Task t : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  t.run();
                  return null;
                }));
      }
      for (Future<Void> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw TaskFailures.cause(e, "transferring blobs");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while transferring blobs");
        }
      }
    } finally {
      pool.shutdownNow();
      try {
        if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
          throw new IOException("blob transfers did not stop after cancellation");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
