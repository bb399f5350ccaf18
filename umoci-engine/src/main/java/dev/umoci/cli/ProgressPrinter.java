package dev.umoci.cli;

import dev.umoci.oci.spec.Digest;
import dev.umoci.registry.TransferListener;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a copy on a terminal: one line on standard error, rewritten at most five times a
 * second, with blobs (copied or skipped) and bytes done. Shown only when standard error is a
 * terminal and neither {@code --log error} nor {@code --quiet} is given. The line is always ended
 * with a newline once something was drawn: when every blob is done, when the copy ends in any way
 * ({@link #finish}), and when the JVM shuts down on Ctrl-C or SIGTERM, so that no error message or
 * shell prompt lands on it. Once ended by {@link #finish}, the line is never drawn again: at
 * shutdown the transfer threads still run, and a draw after the hook's newline would leave the line
 * open at exit.
 */
final class ProgressPrinter implements TransferListener {
  private final PrintWriter err;
  private final AtomicInteger blobsPlanned = new AtomicInteger();
  private final AtomicInteger blobsDone = new AtomicInteger();
  private final AtomicLong bytesPlanned = new AtomicLong();
  private final AtomicLong bytesDone = new AtomicLong();
  private long lastPrint;

  /** Whether a line is drawn that has no newline yet. */
  private boolean open;

  /** Whether {@link #finish} ran: nothing is drawn any more. */
  private boolean ended;

  /** Ends an open line at shutdown; registered with the first line drawn. */
  private Thread hook;

  ProgressPrinter(PrintWriter err) {
    this.err = err;
  }

  /**
   * A printer when standard error is a terminal ({@code terminal}) and progress is wanted, else a
   * listener that prints nothing.
   */
  static TransferListener forTerminal(
      boolean terminal, String logLevel, boolean quiet, PrintWriter err) {
    if (!terminal || quiet || "error".equals(logLevel)) {
      return TransferListener.NONE;
    }
    return new ProgressPrinter(err);
  }

  /** Ends the line of {@code listener} if it is a printer with an open line. */
  static void finish(TransferListener listener) {
    if (listener instanceof ProgressPrinter p) {
      p.finish();
    }
  }

  @Override
  public void planned(int blobs, long bytes) {
    blobsPlanned.addAndGet(blobs);
    bytesPlanned.addAndGet(bytes);
    print(false);
  }

  @Override
  public void bytes(Digest digest, long n) {
    bytesDone.addAndGet(n);
    print(false);
  }

  @Override
  public void blobDone(Digest digest, long size, boolean skipped) {
    if (skipped) {
      // nothing moves for it: its bytes count as done, so the line reaches its total
      bytesDone.addAndGet(size);
    }
    print(blobsDone.incrementAndGet() >= blobsPlanned.get());
  }

  private synchronized void print(boolean last) {
    if (ended) {
      return;
    }
    long now = System.nanoTime();
    if (!last && open && now - lastPrint < 200_000_000L) {
      return;
    }
    if (last && !open && lastPrint != 0) {
      return; // already ended
    }
    lastPrint = now;
    err.printf(
        "\rcopying blobs: %d/%d, %s/%s%s",
        blobsDone.get(),
        blobsPlanned.get(),
        mib(bytesDone.get()),
        mib(bytesPlanned.get()),
        last ? "\n" : "");
    err.flush();
    open = !last;
    if (open && hook == null) {
      hook = new Thread(this::finish, "umoci-progress-end");
      try {
        Runtime.getRuntime().addShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
  }

  /** Ends an open line with a newline, and the drawing; idempotent. */
  synchronized void finish() {
    ended = true;
    if (open) {
      err.print("\n");
      err.flush();
      open = false;
    }
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook runs or ran
      }
      hook = null;
    }
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }
}
