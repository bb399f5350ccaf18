package dev.umoci.maven;

import dev.umoci.ops.ProgressListener;
import dev.umoci.ops.ProgressTracker;
import java.util.concurrent.TimeUnit;
import org.apache.maven.plugin.logging.Log;

/**
 * Shows a long engine step in the Maven log: {@code unpack: 45% of 270.0 MB, 1234 entries}, one
 * line at most every {@value #INTERVAL_SECONDS} seconds, the first one that long after the step
 * started, so that short steps log nothing and a CI log is not flooded. The goal's own summary line
 * follows when the step is done; the engine's step reports (the lines umoci logs at info, such as
 * {@code unpack layer: ...}) are details here, logged at debug ({@code mvn -X}).
 */
final class ProgressLines implements ProgressTracker.Renderer {
  static final long INTERVAL_SECONDS = 5;

  private final Log log;

  ProgressLines(Log log) {
    this.log = log;
  }

  static ProgressListener of(Log log) {
    return new ProgressTracker(
        new ProgressLines(log), System::nanoTime, TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS));
  }

  @Override
  public void render(ProgressTracker.Snapshot snapshot, boolean done) {
    if (!done) {
      log.info(snapshot.step() + ": " + snapshot.describe());
    }
  }

  @Override
  public void report(org.slf4j.Logger engineLog, String format, Object... args) {
    engineLog.debug(format, args);
  }
}
