package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.ops.ProgressListener;
import dev.umoci.ops.ProgressTracker;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void onlyOnATerminalAndNotWithLogError() {
    PrintWriter err = new PrintWriter(new StringWriter());
    assertSame(ProgressListener.NONE, ProgressBar.forTerminal(false, "warn", err));
    assertSame(ProgressListener.NONE, ProgressBar.forTerminal(true, "error", err));
    assertTrue(ProgressBar.forTerminal(true, "warn", err) instanceof ProgressTracker);
    assertTrue(ProgressBar.forTerminal(true, "debug", err) instanceof ProgressTracker);
  }

  @Test
  void drawsOneLineInPlaceAndClearsItWhenDone() {
    StringWriter out = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(out));
    bar.render(new ProgressTracker.Snapshot("unpack", 1_000_000, 500_000, 12), false);
    String first = "unpack [" + "#".repeat(15) + " ".repeat(15) + "] 50% of 1.0 MB, 12 entries";
    assertEquals("\r" + first, out.toString());
    out.getBuffer().setLength(0);
    bar.render(new ProgressTracker.Snapshot("unpack", 1_000_000, 1_000_000, 7), false);
    String second = "unpack [" + "#".repeat(30) + "] 100% of 1.0 MB, 7 entries";
    // the shorter line is padded over what the longer one left
    assertEquals("\r" + second + " ".repeat(first.length() - second.length()), out.toString());
    out.getBuffer().setLength(0);
    bar.render(new ProgressTracker.Snapshot("unpack", 1_000_000, 1_000_000, 7), true);
    assertEquals("\r" + " ".repeat(first.length()) + "\r", out.toString());
  }

  @Test
  void withoutATotalThereIsNoBar() {
    StringWriter out = new StringWriter();
    new ProgressBar(new PrintWriter(out))
        .render(new ProgressTracker.Snapshot("repack", -1, 2_500_000, 1), false);
    assertEquals("\rrepack 2.5 MB, 1 entry", out.toString());
  }

  @Test
  void commandsRunWithoutATerminalDrawNothing() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    Main.run(
        new String[] {"--log", "info", "init", "--layout", "/nonexistent-dir/for/progress/test"},
        new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
        new java.io.PrintStream(err));
    assertTrue(!err.toString().contains("\r"), err.toString());
  }
}
