package dev.umoci.cli;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.oci.spec.ImageLayout;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Sets Jackson up on a second thread while the main thread builds picocli's model and parses the
 * command line: its first parser (on Java 25 {@code BigDecimal}'s class initialiser, which
 * jackson-core's parsers need, alone computes 5^65536) and the codecs of {@code oci-layout} and
 * {@code index.json}, which every layout command reads first (no {@code ObjectMapper}: the spec
 * records have streaming codecs, see {@code oci.spec.StreamingJson}). None of it depends on the
 * command line.
 *
 * <p>Contract: {@link #start} is called once, by {@link Main#main} only; {@link #await} is called
 * before a command runs, so that the command never initialises Jackson's classes while this thread
 * still does (class initialisation on two threads at once can deadlock on cycles). It writes
 * nothing and logs nothing (the log level is set after it starts); a failure here is dropped, since
 * the command's own use of Jackson meets and reports it.
 */
final class JsonWarmUp implements Runnable {
  private static final byte[] LAYOUT =
      "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INDEX =
      "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.US_ASCII);

  private static volatile Thread thread;

  private JsonWarmUp() {}

  /** Starts the warm-up on a daemon thread. */
  static void start() {
    Thread t = new Thread(new JsonWarmUp(), "umoci-json-warm-up");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Waits for a started warm-up to end; returns at once when none was started. While it runs, the
   * calling thread takes the one part of its work that is the JDK's alone: {@code BigDecimal}'s
   * class initialiser (5^65536 on Java 25), which jackson-core's first parser needs and which
   * depends on no Jackson class, so whichever thread reaches it second merely waits for the first.
   */
  static void await() {
    Thread t = thread;
    if (t == null) {
      return;
    }
    if (t.isAlive()) {
      BigDecimal.valueOf(0);
    }
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    thread = null;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    try {
      Json.parse(LAYOUT, ImageLayout.class, "warm-up");
      Json.parse(INDEX, Index.class, "warm-up");
    } catch (InvalidImageException | RuntimeException | Error e) {
      // dropped, errors too (an uncaught one would print a stack trace): the command's own use of
      // Jackson meets the same failure and reports it
    }
  }
}
