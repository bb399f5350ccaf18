package dev.umoci.cli;

import dev.umoci.oci.spec.Digest;
import dev.umoci.registry.TransferListener;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a copy on a terminal: one line, rewritten at most five times a second, with blobs and
 * bytes done. Used only when the process has a terminal; quiet otherwise.
 */
final class ProgressPrinter implements TransferListener {
  private final PrintWriter err;
  private final AtomicInteger blobsPlanned = new AtomicInteger();
  private final AtomicInteger blobsDone = new AtomicInteger();
  private final AtomicLong bytesPlanned = new AtomicLong();
  private final AtomicLong bytesDone = new AtomicLong();
  private volatile long lastPrint;

  private ProgressPrinter(PrintWriter err) {
    this.err = err;
  }

  /** A printer when the process runs on a terminal, else a listener that prints nothing. */
  static TransferListener forTerminal(PrintWriter err) {
    return System.console() == null ? TransferListener.NONE : new ProgressPrinter(err);
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
    if (!skipped) {
      blobsDone.incrementAndGet();
      print(blobsDone.get() >= blobsPlanned.get());
    }
  }

  private synchronized void print(boolean last) {
    long now = System.nanoTime();
    if (!last && now - lastPrint < 200_000_000L) {
      return;
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
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }
}
