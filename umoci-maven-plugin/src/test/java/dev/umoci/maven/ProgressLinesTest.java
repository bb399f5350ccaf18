package dev.umoci.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.umoci.ops.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {
  /** A Maven log that keeps its info lines. */
  static final class InfoLines extends SystemStreamLog {
    final List<String> lines = new ArrayList<>();

    @Override
    public void info(CharSequence content) {
      lines.add(content.toString());
    }
  }

  @Test
  void aProgressLineWhileTheStepRunsNoneWhenItEnds() {
    InfoLines log = new InfoLines();
    ProgressLines lines = new ProgressLines(log);
    lines.render(new ProgressTracker.Snapshot("unpack", 270_000_000, 121_500_000, 1234), false);
    lines.render(new ProgressTracker.Snapshot("unpack", 270_000_000, 270_000_000, 2000), true);
    assertEquals(List.of("unpack: 45% of 270.0 MB, 1234 entries"), log.lines);
  }

  @Test
  void linesComeEveryFewSecondsAtMost() {
    InfoLines log = new InfoLines();
    long[] now = {0};
    long interval = java.util.concurrent.TimeUnit.SECONDS.toNanos(ProgressLines.INTERVAL_SECONDS);
    ProgressTracker tracker = new ProgressTracker(new ProgressLines(log), () -> now[0], interval);
    tracker.started("repack", -1);
    for (int i = 0; i < 10; i++) {
      now[0] += interval / 4;
      tracker.advanced(1_000_000, 1);
    }
    tracker.finished();
    // 10 reports over 2.5 intervals: lines after the 4th and the 8th
    assertEquals(List.of("repack: 4.0 MB, 4 entries", "repack: 8.0 MB, 8 entries"), log.lines);
  }
}
