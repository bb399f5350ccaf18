package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 §3: eight processes of the packaged jar at once on one layout, each running a random mix
 * of {@code config --tag}, {@code tag}, {@code rm}, {@code repack}, {@code insert} and {@code gc}
 * for a bounded time. At the end: every tag a process reported as written exists and verifies
 * unless a later reported {@code rm} removed it, and no other tag appeared; no process hung (each
 * has a generous timeout, far above any lock wait); each process either succeeded or printed one
 * line saying the layout was locked for longer than its bounded wait.
 */
class ConcurrentWritersIT {
  private static final Path LAUNCHER = Path.of(System.getProperty("umoci.launcher"));
  private static final int PROCESSES = 8;

  /** How long workers keep starting new commands. */
  private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(40);

  /** Far above the 60 s lock wait: a process still running after this is stuck. */
  private static final long HANG_SECONDS = 300;

  @TempDir Path tmp;

  /** What one worker saw: tags it wrote and removed (in order), and its failures. */
  private record Outcome(
      List<String> written,
      List<String> removed,
      List<String> lockErrors,
      int runs,
      Map<String, Integer> succeeded) {}

  @Test
  void eightWritersAndGcKeepEveryReportedTag() throws Exception {
    Path layout = tmp.resolve("layout");
    Path payload = Files.createDirectories(tmp.resolve("payload/etc"));
    Files.writeString(payload.resolve("motd"), "hello\n");
    String l = layout.toString();
    CliRunner.run("init", "--layout", l).assertSuccess();
    CliRunner.run("new", "--image", l + ":base").assertSuccess();
    CliRunner.run("insert", "--image", l + ":base", payload.toString(), "/srv").assertSuccess();
    List<Path> bundles = new ArrayList<>();
    for (int w = 0; w < PROCESSES; w++) {
      Path bundle = tmp.resolve("bundle" + w);
      CliRunner.run("unpack", "--image", l + ":base", bundle.toString()).assertSuccess();
      Files.writeString(bundle.resolve("rootfs/worker"), "worker " + w + "\n");
      bundles.add(bundle);
    }

    long deadline = System.nanoTime() + RUN_NANOS;
    ExecutorService pool = Executors.newFixedThreadPool(PROCESSES);
    List<Future<Outcome>> futures = new ArrayList<>();
    for (int w = 0; w < PROCESSES; w++) {
      int worker = w;
      futures.add(pool.submit(() -> work(worker, layout, bundles.get(worker), payload, deadline)));
    }
    pool.shutdown();
    Set<String> expected = new TreeSet<>(Set.of("base"));
    int runs = 0;
    int lockErrors = 0;
    Map<String, Integer> perCommand = new TreeMap<>();
    for (Future<Outcome> f : futures) {
      Outcome o = f.get();
      runs += o.runs();
      lockErrors += o.lockErrors().size();
      expected.addAll(o.written());
      o.removed().forEach(expected::remove);
      o.succeeded().forEach((k, n) -> perCommand.merge(k, n, Integer::sum));
    }
    assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
    System.out.printf(
        "%d processes ran, %d stopped by a bounded lock wait; succeeded: %s%n",
        runs, lockErrors, perCommand);

    LayoutChecks.assertValid(layout);
    try (OciLayout open = OciLayout.open(layout)) {
      assertEquals(expected, new TreeSet<>(References.list(open)));
    }
    CliRunner.run("gc", "--layout", l).assertSuccess();
    LayoutChecks.assertValid(layout);
    LayoutChecks.assertNoTempDirs(layout);
    try (OciLayout open = OciLayout.open(layout)) {
      assertEquals(expected, new TreeSet<>(References.list(open)));
    }
    assertTrue(runs >= PROCESSES * 2, "too few runs to mean anything: " + runs);
  }

  private static Outcome work(int worker, Path layout, Path bundle, Path payload, long deadline)
      throws Exception {
    Random random = new Random(worker);
    List<String> written = new ArrayList<>();
    List<String> live = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> lockErrors = new ArrayList<>();
    Map<String, Integer> succeeded = new TreeMap<>();
    String l = layout.toString();
    int runs = 0;
    for (int n = 0; System.nanoTime() < deadline; n++) {
      String kind = List.of("config", "tag", "rm", "repack", "insert", "gc").get(random.nextInt(6));
      String tag = "w" + worker + "-" + kind + "-" + n;
      String victim = live.isEmpty() ? null : live.get(random.nextInt(live.size()));
      List<String> args =
          switch (kind) {
            case "config" ->
                List.of("config", "--image", l + ":base", "--tag", tag, "--config.env", "N=" + n);
            case "tag" -> List.of("tag", "--image", l + ":base", tag);
            case "rm" -> victim == null ? null : List.of("rm", "--image", l + ":" + victim);
            case "repack" -> List.of("repack", "--image", l + ":" + tag, bundle.toString());
            case "insert" ->
                List.of(
                    "insert", "--image", l + ":base", "--tag", tag, payload.toString(), "/w" + n);
            default -> List.of("gc", "--layout", l);
          };
      if (args == null) {
        continue;
      }
      runs++;
      String error = run(args);
      if (error != null) {
        assertEquals(1, error.lines().count(), "one line of error: " + error);
        assertTrue(
            error.startsWith("umoci: ") && error.contains("(waited "),
            "only a bounded lock wait may stop a command here: " + error);
        lockErrors.add(error);
        continue;
      }
      succeeded.merge(kind, 1, Integer::sum);
      if (kind.equals("rm")) {
        live.remove(victim);
        removed.add(victim);
      } else if (!kind.equals("gc")) {
        written.add(tag);
        live.add(tag);
      }
    }
    return new Outcome(written, removed, lockErrors, runs, succeeded);
  }

  /** Runs one command; returns null on success, else its stderr (stripped). */
  private static String run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("UMOCI_JAVA_OPTS");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Path err = Files.createTempFile("umoci", ".err");
    try {
      Process p = pb.redirectError(err.toFile()).start();
      if (!p.waitFor(HANG_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("hung for " + HANG_SECONDS + "s: " + args);
      }
      String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
      if (p.exitValue() == 0) {
        return null;
      }
      assertEquals(1, p.exitValue(), stderr);
      return stderr;
    } finally {
      Files.delete(err);
    }
  }
}
