package dev.umoci.cli;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.oci.spec.ImageLayout;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Json;
import dev.umoci.registry.HttpClientWarmUp;
import dev.umoci.sys.NativeSha256;
import dev.umoci.sys.Syscalls;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Sets Jackson up on a second thread while the main thread builds picocli's model and parses the
 * command line: its first parser (on Java 25 {@code BigDecimal}'s class initialiser, which
 * jackson-core's parsers need, alone computes 5^65536) and the codecs of {@code oci-layout} and
 * {@code index.json}, which every layout command reads first (no {@code ObjectMapper}: the spec
 * records have streaming codecs, see {@code oci.spec.StreamingJson}). Then the native bindings the
 * command will need: the C library's (every layout command locks the layout through it) and, for
 * the commands that hash blobs, libcrypto's ({@code NativeSha256}); JNA's set-up and the symbol
 * binding are the next cost on the main thread after the command line. For a {@code copy} from or
 * to a registry, before the bindings, the string concatenations of the JDK's HTTP client ({@link
 * HttpClientWarmUp}), which the registry connection started meanwhile ({@link EarlyStart}) would
 * otherwise build on its critical path. Only these choices depend on the command line.
 *
 * <p>Contract: {@link #start} is called once, by {@link Main#main} only; {@link #await} is called
 * before a command runs, so that the command never initialises Jackson's or JNA's classes while
 * this thread still does (class initialisation on two threads at once can deadlock on cycles;
 * picocli's parse, which runs meanwhile, touches neither). Between {@link #awaitJson} (Jackson is
 * set up) and {@link #await}, only work that touches no JNA class may start ({@link EarlyStart}).
 * It writes nothing and logs nothing (the log level is set after it starts); a failure here is
 * dropped, since the command's own use meets and reports it (a C library binding that failed to
 * load then shows as {@code NoClassDefFoundError}, with the original failure as its cause).
 */
final class JsonWarmUp implements Runnable {
  private static final byte[] LAYOUT =
      "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INDEX =
      "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.US_ASCII);

  /** The commands that hash blobs (read verified, or write them) and so load libcrypto. */
  private static final Set<String> HASHING =
      Set.of("stat", "config", "new", "insert", "copy", "unpack", "repack", "raw");

  /** The commands that talk to a registry when their command line names one. */
  private static final Set<String> NETWORK = Set.of("copy");

  private static volatile Thread thread;

  /** The started warm-up's stages: counted down when its JSON part is over, and all of it. */
  private static volatile CountDownLatch json = new CountDownLatch(0);

  private static volatile CountDownLatch done = new CountDownLatch(0);

  private final CountDownLatch jsonDone;
  private final CountDownLatch allDone;

  private final boolean hashing;
  private final boolean network;

  private JsonWarmUp(
      boolean hashing, boolean network, CountDownLatch jsonDone, CountDownLatch allDone) {
    this.hashing = hashing;
    this.network = network;
    this.jsonDone = jsonDone;
    this.allDone = allDone;
  }

  /**
   * Starts the warm-up on a daemon thread; {@code command} is the command word of the line (see
   * {@link Main#commandWord}), or null; {@code namesRegistry}, whether an argument names an image
   * in a registry (a copy between layouts builds no HTTP client).
   */
  static void start(String command, boolean namesRegistry) {
    json = new CountDownLatch(1);
    done = new CountDownLatch(1);
    boolean hashing = command != null && HASHING.contains(command);
    boolean network = namesRegistry && command != null && NETWORK.contains(command);
    Thread t = new Thread(new JsonWarmUp(hashing, network, json, done), "umoci-json-warm-up");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Waits until the warm-up has set Jackson up (or failed to); returns at once when none was
   * started.
   */
  static void awaitJson() {
    awaitStage(json);
  }

  /** Waits for a started warm-up to end; returns at once when none was started. */
  static void await() {
    awaitStage(done);
    thread = null;
  }

  /**
   * Waits for {@code stage} of a started warm-up. While it runs, the calling thread takes the one
   * part of its work that is the JDK's alone: {@code BigDecimal}'s class initialiser (5^65536 on
   * Java 25), which jackson-core's first parser needs and which depends on no Jackson class, so
   * whichever thread reaches it second merely waits for the first.
   */
  private static void awaitStage(CountDownLatch stage) {
    Thread t = thread;
    if (t == null) {
      return;
    }
    if (t.isAlive()) {
      BigDecimal.valueOf(0);
    }
    boolean interrupted = false;
    while (true) {
      try {
        stage.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    try {
      try {
        Json.parse(LAYOUT, ImageLayout.class, "warm-up");
        Json.parse(INDEX, Index.class, "warm-up");
      } finally {
        jsonDone.countDown();
      }
      if (network) {
        HttpClientWarmUp.run();
      }
      // readlink(2) of "/" through the C library's binding: harmless, and it binds the library
      Syscalls.lstatErrno(Path.of("/"));
      if (hashing) {
        NativeSha256.available();
      }
    } catch (InvalidImageException | RuntimeException | Error e) {
      // dropped, errors too (an uncaught one would print a stack trace): the command's own use of
      // Jackson meets the same failure and reports it
    } finally {
      allDone.countDown();
    }
  }
}
