package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.oci.spec.Digest;
import dev.umoci.registry.TransferListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
  private static final Digest D = Digest.sha256(new byte[0]);

  @Test
  void onlyOnATerminalAndNeitherQuietNorLogError() {
    PrintWriter err = new PrintWriter(new StringWriter());
    assertSame(TransferListener.NONE, ProgressPrinter.forTerminal(false, "warn", false, err));
    assertSame(TransferListener.NONE, ProgressPrinter.forTerminal(true, "error", false, err));
    assertSame(TransferListener.NONE, ProgressPrinter.forTerminal(true, "warn", true, err));
    assertTrue(ProgressPrinter.forTerminal(true, "info", false, err) instanceof ProgressPrinter);
  }

  @Test
  void skippedBlobsCountSoTheLineEndsWithANewline() {
    StringWriter out = new StringWriter();
    ProgressPrinter p = new ProgressPrinter(new PrintWriter(out));
    p.planned(2, 3 << 20);
    p.blobDone(D, 1 << 20, true);
    p.bytes(D, 2 << 20);
    p.blobDone(D, 2 << 20, false);
    assertTrue(out.toString().endsWith("\rcopying blobs: 2/2, 3.0 MiB/3.0 MiB\n"), out.toString());
    p.finish();
    assertFalse(out.toString().endsWith("\n\n"), "no second newline");
  }

  @Test
  void aCopyThatStopsEarlyHasItsLineEnded() {
    StringWriter out = new StringWriter();
    ProgressPrinter p = new ProgressPrinter(new PrintWriter(out));
    p.planned(3, 100);
    assertFalse(out.toString().endsWith("\n"));
    ProgressPrinter.finish(p);
    assertEquals("\rcopying blobs: 0/3, 0.0 MiB/0.0 MiB\n", out.toString());
    ProgressPrinter.finish(p);
    assertEquals("\rcopying blobs: 0/3, 0.0 MiB/0.0 MiB\n", out.toString(), "idempotent");
  }

  @Test
  void nothingIsDrawnAfterTheLineIsEnded() throws Exception {
    // As at shutdown: the hook ends the line while transfer threads still report bytes.
    StringWriter out = new StringWriter();
    ProgressPrinter p = new ProgressPrinter(new PrintWriter(out));
    p.planned(2, 4 << 20);
    p.finish();
    Thread.sleep(250); // past the 200 ms between two draws
    p.bytes(D, 1 << 20);
    p.blobDone(D, 1 << 20, false);
    p.blobDone(D, 3 << 20, true);
    assertEquals("\rcopying blobs: 0/2, 0.0 MiB/4.0 MiB\n", out.toString());
  }
}
