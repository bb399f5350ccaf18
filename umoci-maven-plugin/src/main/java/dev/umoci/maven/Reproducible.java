package dev.umoci.maven;

import dev.umoci.ops.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The one time of everything the {@code build} goal writes, so that unchanged sources give the same
 * image: {@code project.build.outputTimestamp}, else {@code SOURCE_DATE_EPOCH}, else the epoch
 * (1970-01-01T00:00:00Z, as Jib does). It is the image's {@code created}, every history time and
 * the time of every file and directory in new layers (older files' times too).
 *
 * @param time the time
 * @param fromProject whether it came from {@code project.build.outputTimestamp} or {@code
 *     SOURCE_DATE_EPOCH} rather than the epoch default
 */
record Reproducible(Instant time, boolean fromProject) {

  /** From the goal's {@code outputTimestamp} and the environment's clock. */
  static Reproducible of(String outputTimestamp, Timestamps environment)
      throws MojoFailureException {
    Optional<Instant> fixed = OutputTimestamp.parse(outputTimestamp);
    if (fixed.isPresent()) {
      return new Reproducible(fixed.get(), true);
    }
    return environment
        .sourceDateEpoch()
        .map(t -> new Reproducible(t, true))
        .orElseGet(() -> new Reproducible(Instant.EPOCH, false));
  }

  /** The engine's clock, fixed at {@link #time}. */
  Timestamps timestamps() {
    return new Timestamps(Clock.systemUTC(), Optional.of(time));
  }
}
