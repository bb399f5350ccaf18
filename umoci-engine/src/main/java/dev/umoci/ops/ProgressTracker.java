package dev.umoci.ops;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A {@link ProgressListener} that adds up what it is told and hands a {@link Snapshot} to a {@link
 * Renderer} at most once per interval (and once more, marked done, when the step finishes),
 * whatever the number of threads reporting. The CLI's progress bar and the Maven plugin's progress
 * lines are renderers; the interval is theirs.
 */
public final class ProgressTracker implements ProgressListener {

  /** Shows a snapshot; called by one thread at a time. */
  public interface Renderer {
    /**
     * @param done true for the last call of a step (after {@link ProgressListener#finished})
     */
    void render(Snapshot snapshot, boolean done);

    /** See {@link ProgressListener#report}; by default logged at info on {@code log}. */
    default void report(org.slf4j.Logger log, String format, Object... args) {
      log.info(format, args);
    }
  }

  /** Where a step stands. {@code totalBytes} is -1 when unknown. */
  public record Snapshot(String step, long totalBytes, long bytes, long entries) {
    /** {@code 45% of 27.0 MB, 1234 entries}, or {@code 12.3 MB, 1234 entries} without a total. */
    public String describe() {
      String amount =
          totalBytes > 0
              ? Math.min(100, bytes * 100 / totalBytes) + "% of " + megabytes(totalBytes)
              : megabytes(bytes);
      return amount + ", " + entries + (entries == 1 ? " entry" : " entries");
    }

    /** Done fraction from 0 to 1; -1 when there is no total. */
    public double fraction() {
      return totalBytes > 0 ? Math.min(1.0, (double) bytes / totalBytes) : -1;
    }

    static String megabytes(long bytes) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
  }

  private final Renderer renderer;
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong entries = new AtomicLong();
  private volatile String step = "";
  private volatile long totalBytes = -1;
  private long lastRender;

  /**
   * @param renderer shows snapshots
   * @param nanoClock {@link System#nanoTime} outside tests
   * @param intervalNanos the least time between two renderings of one step; the first rendering
   *     comes one interval after the step started, so short steps show nothing
   */
  public ProgressTracker(Renderer renderer, LongSupplier nanoClock, long intervalNanos) {
    this.renderer = renderer;
    this.nanoClock = nanoClock;
    this.intervalNanos = intervalNanos;
  }

  @Override
  public synchronized void started(String step, long totalBytes) {
    this.step = step;
    this.totalBytes = totalBytes;
    bytes.set(0);
    entries.set(0);
    lastRender = nanoClock.getAsLong();
  }

  @Override
  public void advanced(long moreBytes, long moreEntries) {
    bytes.addAndGet(moreBytes);
    entries.addAndGet(moreEntries);
    long now = nanoClock.getAsLong();
    if (now - lastRender >= intervalNanos) {
      synchronized (this) {
        if (now - lastRender >= intervalNanos) {
          lastRender = now;
          renderer.render(snapshot(), false);
        }
      }
    }
  }

  @Override
  public synchronized void finished() {
    renderer.render(snapshot(), true);
  }

  @Override
  public void report(org.slf4j.Logger log, String format, Object... args) {
    renderer.report(log, format, args);
  }

  /** The current state. */
  public Snapshot snapshot() {
    return new Snapshot(step, totalBytes, bytes.get(), entries.get());
  }
}
