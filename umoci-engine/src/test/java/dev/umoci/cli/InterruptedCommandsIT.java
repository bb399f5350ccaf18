package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull of the packaged jar stopped by SIGTERM (the JVM treats Ctrl-C's SIGINT the same way) while
 * a layer streams: the process ends, the temporary directory that held the partial layer is gone
 * with it, and the layout is exactly as before. The registry is a test HTTP server on loopback that
 * sends half of the layer and then waits, so the process is reliably caught mid-blob.
 */
class InterruptedCommandsIT {
  private static final Path LAUNCHER = Path.of(System.getProperty("umoci.launcher"));

  @TempDir Path tmp;

  private final byte[] config =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
          .getBytes(StandardCharsets.UTF_8);
  private final byte[] layer = new byte[4 << 20];
  private final CountDownLatch halfSent = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private HttpServer server;
  private byte[] manifest;

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
    handlers.shutdownNow();
  }

  @Test
  void aPullStoppedMidBlobLeavesNoTemporaryFilesAndTheLayoutAsItWas() throws Exception {
    Path layout = tmp.resolve("layout");
    CliRunner.run("init", "--layout", layout.toString()).assertSuccess();
    CliRunner.run("new", "--image", layout + ":keep").assertSuccess();
    byte[] indexBefore = Files.readAllBytes(layout.resolve("index.json"));
    List<Path> blobsBefore = blobs(layout);

    stopMidLayer(layout, List.of("oci:" + layout + ":pulled"), Map.of());

    assertEquals(List.of(), temporaries(layout), "no temporary directory is left");
    assertArrayEquals(indexBefore, Files.readAllBytes(layout.resolve("index.json")));
    assertEquals(blobsBefore, blobs(layout), "what the stopped pull published is undone");
    LayoutChecks.assertValid(layout);
  }

  @Test
  void aPullIntoANewLayoutStoppedMidBlobLeavesNoLayout() throws Exception {
    // The layout and the directories made for it go at exit, with the config blob if it was in
    // already, as after a failed copy.
    Path layout = tmp.resolve("made/for/it/layout");

    stopMidLayer(layout, List.of("oci:" + layout + ":pulled"), Map.of());

    assertTrue(Files.notExists(tmp.resolve("made")), "the new layout and its parents are removed");
  }

  @Test
  void aCopyBetweenRegistriesStoppedMidBlobLeavesNoTemporaryLayout() throws Exception {
    Path spool = Files.createDirectory(tmp.resolve("spool"));
    // The destination is never reached: the copy is stopped while it pulls into its temporary
    // layout, which it makes under $TMPDIR.
    stopMidLayer(
        null, List.of("docker://127.0.0.1:9/nowhere/app:v1"), Map.of("TMPDIR", spool.toString()));
    try (Stream<Path> left = Files.list(spool)) {
      assertEquals(List.of(), left.toList(), "the temporary layout is removed at exit");
    }
  }

  @Test
  void anUnpackStoppedHalfwayLeavesNoBundle() throws Exception {
    // About 10,000 small files: the unpack takes 1-2 s here, the signal comes within 50 ms of
    // the first extracted directory.
    Path payload = tmp.resolve("payload");
    Random random = new Random(11);
    for (int d = 0; d < 100; d++) {
      Path dir = Files.createDirectories(payload.resolve("d" + d));
      for (int f = 0; f < 100; f++) {
        byte[] content = new byte[256];
        random.nextBytes(content);
        Files.write(dir.resolve("f" + f), content);
      }
    }
    Path layout = tmp.resolve("layout");
    CliRunner.run("init", "--layout", layout.toString()).assertSuccess();
    CliRunner.run("new", "--image", layout + ":a").assertSuccess();
    CliRunner.run("insert", "--image", layout + ":a", payload.toString(), "/data").assertSuccess();
    Path bundle = tmp.resolve("bundle");

    Process unpack =
        new ProcessBuilder(
                LAUNCHER.toString(), "unpack", "--image", layout + ":a", bundle.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("unpack.log").toFile())
            .start();
    try {
      awaitPath(bundle.resolve("rootfs/data/d0"));
      unpack.destroy(); // SIGTERM
      assertTrue(unpack.waitFor(60, TimeUnit.SECONDS), "the unpack ends on SIGTERM");
      assertEquals(143, unpack.exitValue(), Files.readString(tmp.resolve("unpack.log")));
    } finally {
      unpack.destroyForcibly();
    }
    assertTrue(Files.notExists(bundle), "the unfinished bundle is removed at exit");
    Run again = run(LAUNCHER.toString(), "unpack", "--image", layout + ":a", bundle.toString());
    assertEquals(0, again.exit(), again.output());
    assertTrue(Files.isRegularFile(bundle.resolve("umoci.json")), "an unpack that ends stays");
  }

  /**
   * Ctrl-C (SIGINT) on a terminal while a pull streams a layer: the progress line drawn on standard
   * error (a pseudo-terminal made by {@code script}; standard output goes to a file) is ended with
   * a newline on the way out, so that the shell prompt does not land on it; the process exits with
   * 130 (128 + SIGINT, as the JVM and Go programs do) and the layout is as it was before.
   */
  @Test
  void ctrlCOnATerminalEndsTheProgressLineAndLeavesTheLayoutAsItWas() throws Exception {
    Path layout = tmp.resolve("layout");
    CliRunner.run("init", "--layout", layout.toString()).assertSuccess();
    CliRunner.run("new", "--image", layout + ":keep").assertSuccess();
    byte[] indexBefore = Files.readAllBytes(layout.resolve("index.json"));
    List<Path> blobsBefore = blobs(layout);
    startServer();
    Path screen = tmp.resolve("screen");
    // exec all the way down (sh, env, the launcher): the child of script is the JVM itself. env
    // gives SIGINT back its default action: a test run started in the background (`mvn ... &` in a
    // non-interactive shell, as a CI job may be) inherits SIGINT ignored, and the JVM, like any
    // program started with `&`, then keeps ignoring it, so Ctrl-C could not be tested.
    String command =
        "exec env --default-signal=INT "
            + LAUNCHER
            + " copy --src-tls-verify=false docker://127.0.0.1:"
            + server.getAddress().getPort()
            + "/stall/app:v1 oci:"
            + layout
            + ":pulled > "
            + tmp.resolve("stdout");
    // What script writes on its standard output is exactly what the terminal showed (no header).
    Process script =
        new ProcessBuilder("/usr/bin/script", "-qfec", command, "/dev/null")
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(screen.toFile())
            .redirectError(tmp.resolve("script.err").toFile())
            .start();
    try {
      assertTrue(halfSent.await(60, TimeUnit.SECONDS), "the copy asked for the layer");
      awaitPartialBlob(layout);
      awaitText(screen, "copying blobs: ");
      ProcessHandle jvm =
          ProcessHandle.of(script.pid()).orElseThrow().children().findFirst().orElseThrow();
      assertTrue(
          jvm.info().command().orElse("").endsWith("/java"), jvm.info().command().toString());
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(jvm.pid())).start();
      assertEquals(0, kill.waitFor(), "kill -INT");
      if (!script.waitFor(60, TimeUnit.SECONDS)) {
        fail("the copy did not end within 60 s of SIGINT; its threads:\n" + threadDump(jvm));
      }
      String shown = Files.readString(screen);
      assertEquals(130, script.exitValue(), shown + Files.readString(tmp.resolve("script.err")));
      assertTrue(shown.contains("copying blobs: "), shown);
      assertTrue(shown.endsWith("\n"), "the progress line is ended: " + shown.replace("\r", "\\r"));
      assertEquals("", Files.readString(tmp.resolve("stdout")), "no digest: the copy did not end");
    } finally {
      script.destroyForcibly();
    }
    assertEquals(List.of(), temporaries(layout), "no temporary directory is left");
    assertArrayEquals(indexBefore, Files.readAllBytes(layout.resolve("index.json")));
    assertEquals(blobsBefore, blobs(layout), "what the stopped pull published is undone");
    LayoutChecks.assertValid(layout);
  }

  /** The JVM's threads as jstack prints them (for a failure message), or why there are none. */
  private static String threadDump(ProcessHandle jvm) {
    try {
      Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
      Process p =
          new ProcessBuilder(jstack.toString(), Long.toString(jvm.pid()))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (Exception e) {
      return "(no thread dump: " + e + ")";
    }
  }

  /** Waits until {@code file} holds {@code text}. */
  private static void awaitText(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(text + " did not appear in " + file);
      }
      Thread.sleep(10);
    }
  }

  private static void awaitPath(Path path) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(path)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(path + " did not appear");
      }
      Thread.sleep(10);
    }
  }

  /** Exit status and output of a finished process. */
  private record Run(int exit, String output) {}

  private Run run(String... command) throws Exception {
    Path log = Files.createTempFile(tmp, "run", ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
    return new Run(p.exitValue(), Files.readString(log));
  }

  /**
   * Starts the packaged jar's {@code copy} from the stalling server to {@code destination}, waits
   * until part of the layer is in a temporary file, sends SIGTERM and checks the process ends with
   * that file gone.
   *
   * @param layout where the temporary file appears; null: anywhere below {@link #tmp}
   */
  private void stopMidLayer(Path layout, List<String> destination, Map<String, String> env)
      throws Exception {
    startServer();
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.add("copy");
    command.add("--src-tls-verify=false");
    command.add("docker://127.0.0.1:" + server.getAddress().getPort() + "/stall/app:v1");
    command.addAll(destination);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("copy.log").toFile());
    pb.environment().putAll(env);
    Process copy = pb.start();
    try {
      assertTrue(halfSent.await(60, TimeUnit.SECONDS), "the copy asked for the layer");
      Path partial = awaitPartialBlob(layout == null ? tmp : layout);
      copy.destroy(); // SIGTERM
      assertTrue(copy.waitFor(60, TimeUnit.SECONDS), "the copy ends on SIGTERM");
      assertEquals(143, copy.exitValue(), Files.readString(tmp.resolve("copy.log")));
      assertTrue(Files.notExists(partial), partial + " is removed at exit");
    } finally {
      copy.destroyForcibly();
    }
  }

  private void startServer() throws IOException {
    new Random(7).nextBytes(layer);
    manifest =
        Json.toBytes(
            Manifest.of(
                Descriptor.of(MediaTypes.IMAGE_CONFIG, Digest.sha256(config), config.length),
                List.of(Descriptor.of(MediaTypes.LAYER_TAR, Digest.sha256(layer), layer.length))));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(handlers);
    server.createContext("/v2/", this::handle);
    server.start();
  }

  /**
   * Waits until a blob file with bytes in it appears in a layout's temporary directory (a {@code
   * blob-} file in a {@code .umoci-} directory) below {@code dir}.
   */
  private static List<Path> blobs(Path layout) throws IOException {
    try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
      return files.sorted().toList();
    }
  }

  private static Path awaitPartialBlob(Path dir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.toList()) {
          if (f.getFileName().toString().startsWith("blob-")
              && f.getParent().getFileName().toString().startsWith(".umoci-")
              && Files.size(f) > 0) {
            return f;
          }
        }
      } catch (IOException | UncheckedIOException e) {
        // the tree changed under us: look again
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no partial blob appeared below " + dir);
  }

  private static List<Path> temporaries(Path layout) throws IOException {
    try (Stream<Path> entries = Files.list(layout)) {
      return entries.filter(p -> p.getFileName().toString().startsWith(".umoci-")).toList();
    }
  }

  /** The distribution API for one image, whose layer stops after half its bytes. */
  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (path.equals("/v2/")) {
        ex.sendResponseHeaders(200, -1);
      } else if (path.equals("/v2/stall/app/manifests/v1")) {
        ex.getResponseHeaders().set("Content-Type", MediaTypes.IMAGE_MANIFEST);
        ex.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(manifest).toString());
        send(ex, manifest, manifest.length);
      } else if (path.equals("/v2/stall/app/blobs/" + Digest.sha256(config))) {
        send(ex, config, config.length);
      } else if (path.equals("/v2/stall/app/blobs/" + Digest.sha256(layer))) {
        ex.sendResponseHeaders(200, layer.length);
        OutputStream out = ex.getResponseBody();
        out.write(layer, 0, layer.length / 2);
        out.flush();
        halfSent.countDown();
        try {
          release.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        ex.sendResponseHeaders(404, -1);
      }
    }
  }

  private static void send(HttpExchange ex, byte[] body, int length) throws IOException {
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, length);
    ex.getResponseBody().write(body, 0, length);
  }
}
