package dev.umoci.cli;

import dev.umoci.ops.ProgressListener;
import dev.umoci.ops.ProgressTracker;
import java.io.PrintWriter;

/**
 * Draws a step's progress as one line on the terminal ({@code unpack [##### ] 45% of 27.0 MB, 1234
 * entries}), rewritten in place with a carriage return and cleared when the step ends, so log lines
 * and the command's output are never mixed with it.
 */
final class ProgressBar implements ProgressTracker.Renderer {
  static final long INTERVAL_NANOS = 100_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private int drawn;

  ProgressBar(PrintWriter err) {
    this.err = err;
  }

  /**
   * A progress bar on {@code err} when it is a terminal and the log level shows more than errors;
   * {@link ProgressListener#NONE} otherwise (output to a file or pipe, {@code --log error}).
   */
  static ProgressListener forTerminal(boolean terminal, String logLevel, PrintWriter err) {
    if (!terminal || "error".equals(logLevel)) {
      return ProgressListener.NONE;
    }
    return new ProgressTracker(new ProgressBar(err), System::nanoTime, INTERVAL_NANOS);
  }

  @Override
  public void render(ProgressTracker.Snapshot s, boolean done) {
    if (done) {
      if (drawn > 0) {
        err.print("\r" + " ".repeat(drawn) + "\r");
        err.flush();
        drawn = 0;
      }
      return;
    }
    String bar = bar(s.fraction());
    String line = s.step() + " " + (bar.isEmpty() ? "" : bar + " ") + s.describe();
    err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
    err.flush();
    drawn = Math.max(drawn, line.length());
  }

  /** {@code [#####.....]} with spaces for dots; a total not known (fraction < 0) gives "". */
  static String bar(double fraction) {
    if (fraction < 0) {
      return "";
    }
    int filled = (int) Math.round(fraction * WIDTH);
    return "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "]";
  }
}
