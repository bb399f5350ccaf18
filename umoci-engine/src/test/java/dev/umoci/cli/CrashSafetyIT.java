package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.oci.casext.DescriptorWalk;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.sys.TreeRemover;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Issue 12 §2: SIGKILL each writing command (and {@code unpack}) of the packaged jar at 50 points
 * spread over its run, then check what a crash may leave: the layout opens, every earlier tag still
 * resolves to the same manifest and all its blobs verify, the tag being written is complete or
 * absent, no temporary is visible as a blob, the next command succeeds and {@code gc} removes the
 * stale temporaries.
 *
 * <p>The kill points: the command's duration is measured first (fastest of three runs, plus the JVM
 * start alone, plus the time from opening the layout to exit). Half the kills come at delays spread
 * evenly from just before the JVM could have started work to just after the command would have
 * finished; the other half at delays spread over the work, counted from the moment the process is
 * seen holding the layout open (so that a slow start on a busy machine cannot push them all before
 * the work). Start-up, reading, blob writing, the {@code index.json} update and exit are all hit.
 * The test prints, per command, how many runs it took to reach 50 kills and what state each kill
 * left. Each command has its own layout, and two commands are tested at a time (the failsafe
 * configuration sets the parallelism), which halves the run time on two cores.
 */
@Execution(ExecutionMode.CONCURRENT) // two at a time: see junit parallelism in the pom
class CrashSafetyIT {
  private static final Path LAUNCHER = Path.of(System.getProperty("umoci.launcher"));
  private static final int KILLS = 50;
  private static final Pattern BLOB_NAME = Pattern.compile("[0-9a-f]{64}");

  /** JVM start-up alone (launcher and {@code --version}), measured once. */
  private static long startupMillis = -1;

  // Each test has its own layout, so that the commands can be tested two at a time.
  @TempDir Path tmp;
  private Path layout;
  private Path bundle;
  private Path payload;

  /** One command under test: how to set it up, run it, and what it may change. */
  private interface Scenario {
    /** Brings the layout (and work files) into the state the command starts from. */
    void prepare() throws IOException;

    /** The command line (without the launcher). */
    List<String> args();

    /** The tag this command writes or removes; null for gc. */
    String target();

    /** After a kill: checks the target tag is as before or as the command would leave it. */
    void checkTarget(Digest before, Digest after) throws IOException;

    /** After a kill: what else the command had done, for the report ("" if nothing to add). */
    default String progress() throws IOException {
      return "";
    }

    /** After a kill: runs the command again to completion, in-process; must succeed. */
    default void runAgain() throws IOException {
      prepare();
      CliRunner.run(args().toArray(String[]::new)).assertSuccess();
    }
  }

  @BeforeEach
  void makeASmallImage() throws Exception {
    layout = tmp.resolve("layout");
    bundle = tmp.resolve("bundle");
    payload = tmp.resolve("payload");
    // About 400 kB in 100 files: small, yet writing is a good part of a run.
    for (int d = 0; d < 10; d++) {
      Path dir = Files.createDirectories(payload.resolve("d" + d));
      for (int f = 0; f < 10; f++) {
        byte[] content = new byte[4096];
        Arrays.fill(content, (byte) (d * 31 + f));
        Files.write(dir.resolve("f" + f), content);
      }
    }
    String l = layout.toString();
    CliRunner.run("init", "--layout", l).assertSuccess();
    CliRunner.run("new", "--image", l + ":base").assertSuccess();
    CliRunner.run("insert", "--image", l + ":base", payload.toString(), "/data").assertSuccess();
    CliRunner.run("tag", "--image", l + ":base", "keep").assertSuccess();
    CliRunner.run("unpack", "--image", l + ":base", bundle.toString()).assertSuccess();
    synchronized (CrashSafetyIT.class) {
      if (startupMillis < 0) {
        startupMillis = fastest(() -> launch(List.of("--version")).millis());
      }
    }
  }

  // ------------------------------------------------------------------ the commands

  /** Writes a new tag from scratch. */
  @Test
  void newImage() throws Exception {
    killRepeatedly(writer("made", List.of("new", "--image", layout + ":made")));
  }

  @Test
  void config() throws Exception {
    killRepeatedly(
        writer(
            "configured",
            List.of(
                "config",
                "--image",
                layout + ":base",
                "--tag",
                "configured",
                "--config.env",
                "A=1",
                "--config.label",
                "x=y")));
  }

  @Test
  void insert() throws Exception {
    killRepeatedly(
        writer(
            "inserted",
            List.of(
                "insert",
                "--image",
                layout + ":base",
                "--tag",
                "inserted",
                payload.toString(),
                "/more")));
  }

  @Test
  void repack() throws Exception {
    Files.writeString(bundle.resolve("rootfs/changed"), "a change to repack\n");
    killRepeatedly(
        writer("repacked", List.of("repack", "--image", layout + ":repacked", bundle.toString())));
  }

  @Test
  void tag() throws Exception {
    killRepeatedly(
        new Scenario() {
          @Override
          public void prepare() throws IOException {
            removeTag("alias");
          }

          @Override
          public List<String> args() {
            return List.of("tag", "--image", layout + ":base", "alias");
          }

          @Override
          public String target() {
            return "alias";
          }

          @Override
          public void checkTarget(Digest before, Digest after) throws IOException {
            if (after != null) {
              assertEquals(tags().get("base"), after, "alias points at base or is absent");
            }
          }
        });
  }

  @Test
  void rm() throws Exception {
    killRepeatedly(
        new Scenario() {
          @Override
          public void prepare() throws IOException {
            CliRunner.run("tag", "--image", layout + ":base", "doomed").assertSuccess();
          }

          @Override
          public List<String> args() {
            return List.of("rm", "--image", layout + ":doomed");
          }

          @Override
          public String target() {
            return "doomed";
          }

          @Override
          public void checkTarget(Digest before, Digest after) {
            if (after != null) {
              assertEquals(before, after, "the removed tag is gone or unchanged");
            }
          }
        });
  }

  @Test
  void gc() throws Exception {
    killRepeatedly(
        new Scenario() {
          @Override
          public void prepare() throws IOException {
            // Garbage for gc to remove: an image made and untagged.
            CliRunner.run(
                    "config", "--image", layout + ":base", "--tag", "junk", "--config.env", "J=1")
                .assertSuccess();
            removeTag("junk");
          }

          @Override
          public List<String> args() {
            return List.of("gc", "--layout", layout.toString());
          }

          @Override
          public String progress() throws IOException {
            try (OciLayout l = OciLayout.open(layout)) {
              Set<String> reachable = DescriptorWalk.reachable(l).keySet();
              long garbage =
                  l.listBlobs().stream().filter(b -> !reachable.contains(b.toString())).count();
              // prepare() leaves two: the junk image's config and manifest.
              return garbage == 2 ? "" : garbage == 0 ? "+collected" : "+partly-collected";
            }
          }

          @Override
          public String target() {
            return null;
          }

          @Override
          public void checkTarget(Digest before, Digest after) {}
        });
  }

  /**
   * A killed unpack leaves a bundle without {@code umoci.json}; unpacking into it again refuses
   * with a message that says an earlier unpack did not finish (documented in {@code Unpack}), and
   * after removing it an unpack succeeds.
   */
  @Test
  void unpack() throws Exception {
    Path target = tmp.resolve("unpacked");
    killRepeatedly(
        new Scenario() {
          @Override
          public void prepare() throws IOException {
            deleteTree(target);
          }

          @Override
          public List<String> args() {
            return List.of("unpack", "--image", layout + ":base", target.toString());
          }

          @Override
          public String progress() {
            if (!Files.exists(target)) {
              return "+no-bundle";
            }
            if (Files.exists(target.resolve("umoci.json"))) {
              return "+bundle-finished";
            }
            return Files.exists(target.resolve("rootfs")) ? "+bundle-unfinished" : "+bundle-empty";
          }

          @Override
          public String target() {
            return null;
          }

          @Override
          public void checkTarget(Digest before, Digest after) {}

          @Override
          public void runAgain() throws IOException {
            if (Files.exists(target)) {
              boolean finished = Files.exists(target.resolve("umoci.json"));
              CliRunner.Result again = CliRunner.run(args().toArray(String[]::new));
              if (again.exitCode() == 0) {
                // Killed before it wrote anything but the directory: the unpack just completes.
                assertTrue(!finished && Files.exists(target.resolve("umoci.json")), "finished");
              } else {
                String line = again.stderr().strip();
                assertEquals(1, line.lines().count(), line);
                assertTrue(line.contains("already exists in bundle"), line);
                assertEquals(
                    !finished, line.contains("an earlier unpack did not finish; remove the"), line);
              }
            }
            prepare();
            CliRunner.run(args().toArray(String[]::new)).assertSuccess();
            assertTrue(Files.isRegularFile(target.resolve("rootfs/data/d9/f9")));
          }
        });
  }

  /**
   * A command that writes {@code tag} with a new, complete image. The tag is removed before each
   * run, so after a kill it is either absent or the command's whole result.
   */
  private Scenario writer(String tag, List<String> args) {
    return new Scenario() {
      @Override
      public void prepare() throws IOException {
        removeTag(tag);
      }

      @Override
      public List<String> args() {
        return args;
      }

      @Override
      public String target() {
        return tag;
      }

      @Override
      public void checkTarget(Digest before, Digest after) {
        // Completeness of whatever the tag names is checked with every other tag.
      }
    };
  }

  // ------------------------------------------------------------------ the harness

  private void killRepeatedly(Scenario scenario) throws Exception {
    // Two clocks, measured under the same conditions as the trials below (which also check and
    // collect in this JVM between runs): the whole run from process start, and the work from the
    // moment the command has the layout open (it holds blobs/ for its use lock) to its exit.
    long[] work = {Long.MAX_VALUE};
    long runMillis =
        fastest(
            () -> {
              scenario.prepare();
              long t0 = System.nanoTime();
              Process p = start(scenario.args());
              long opened = awaitLayoutOpen(p) ? System.nanoTime() : -1;
              int exit = p.waitFor();
              long t1 = System.nanoTime();
              assertEquals(0, exit, "unkilled run of " + scenario.args());
              if (opened > 0) {
                work[0] = Math.min(work[0], (t1 - opened) / 1_000_000);
              }
              afterTrial(scenario, tags());
              return (t1 - t0) / 1_000_000;
            });
    assertTrue(work[0] != Long.MAX_VALUE, "never saw the command open the layout");
    // Even trials: delays from process start, from just before the JVM can start work to past
    // the usual end. Odd trials: delays from the moment the layout is open to past the end of the
    // work, so that a slow start-up on a busy machine cannot push every kill before the work.
    long from = startupMillis * 8 / 10;
    long to = Math.max(runMillis * 6 / 5, from + KILLS);
    long workTo = Math.max(work[0] * 6 / 5, KILLS);
    int steps = KILLS / 2;
    int kills = 0;
    int trials = 0;
    // Shrinks each time a run ends before its kill: the machine got faster than when measured.
    double scale = 1.0;
    Map<String, Integer> leftStates = new TreeMap<>();
    while (kills < KILLS) {
      assertTrue(trials < KILLS * 6, "only " + kills + " of " + trials + " kills hit a live run");
      boolean anchored = trials % 2 == 1;
      int n = trials / 2;
      // Pass 0 visits the points evenly, later passes the points between them.
      int pass = n / steps;
      double point = (n % steps + 1.0 - Math.pow(2, -pass)) / steps;
      long delay =
          anchored
              ? Math.round(workTo * point * scale)
              : from + Math.round((to - from) * point * scale);
      trials++;
      scenario.prepare();
      Map<String, Digest> before = tags();
      Process p = start(scenario.args());
      boolean alive = !anchored || awaitLayoutOpen(p);
      if (alive && !p.waitFor(delay, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly(); // SIGKILL
        kills++;
        p.waitFor();
        String state = (anchored ? "after-open:" : "") + checkAfterKill(scenario, before);
        leftStates.merge(state, 1, Integer::sum);
        afterTrial(scenario, before);
      } else {
        assertEquals(0, p.waitFor(), "unkilled run of " + scenario.args());
        scale *= 0.85;
      }
    }
    System.out.printf(
        "%s: run %d ms (JVM start %d ms, work after opening the layout %d ms); delays %d..%d ms"
            + " from start, 0..%d ms from open; %d kills in %d runs; states left: %s%n",
        scenario.args().get(0),
        runMillis,
        startupMillis,
        work[0],
        from,
        to,
        workTo,
        kills,
        trials,
        leftStates);
  }

  /**
   * Waits until {@code p} has the layout's {@code blobs/} directory open, which every command does
   * (for the use lock) as soon as it opens the layout, before it reads or writes anything there.
   *
   * @return false when the process exited first
   */
  private boolean awaitLayoutOpen(Process p) throws IOException, InterruptedException {
    Path blobs = layout.toRealPath().resolve("blobs");
    Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
    while (p.isAlive()) {
      try (DirectoryStream<Path> open = Files.newDirectoryStream(fds)) {
        for (Path fd : open) {
          try {
            if (blobs.equals(Files.readSymbolicLink(fd))) {
              return true;
            }
          } catch (IOException closedMeanwhile) {
            // the descriptor went away between listing and reading it
          }
        }
      } catch (IOException exited) {
        // /proc/<pid> is gone: the loop condition sees it
      }
      Thread.sleep(1);
    }
    return false;
  }

  /** The next command succeeds, then gc leaves a valid layout without temporaries. */
  private void afterTrial(Scenario scenario, Map<String, Digest> before) throws IOException {
    scenario.runAgain();
    CliRunner.run("gc", "--layout", layout.toString()).assertSuccess();
    LayoutChecks.assertNoTempDirs(layout);
    LayoutChecks.assertValid(layout);
    assertEquals(before.get("keep"), tags().get("keep"), "keep survives");
  }

  /**
   * Checks the layout right after a kill and names the state it was left in: whether a temporary
   * directory remained (killed while writing) and whether the target tag changed.
   */
  private String checkAfterKill(Scenario scenario, Map<String, Digest> before) throws IOException {
    Map<String, Digest> after;
    try {
      after = tags();
    } catch (IOException e) {
      throw new AssertionError("layout does not open after a kill: " + e.getMessage(), e);
    }
    for (Map.Entry<String, Digest> tag : before.entrySet()) {
      if (!tag.getKey().equals(scenario.target())) {
        assertEquals(tag.getValue(), after.get(tag.getKey()), "earlier tag " + tag.getKey());
      }
    }
    for (String tag : after.keySet()) {
      assertTrue(
          before.containsKey(tag) || tag.equals(scenario.target()), "unexpected new tag " + tag);
    }
    String target = scenario.target();
    if (target != null) {
      scenario.checkTarget(before.get(target), after.get(target));
    }
    // Every reachable descriptor resolves and verifies; every file under blobs/sha256 is named by
    // its own digest, so no temporary is visible as a blob.
    LayoutChecks.assertValid(layout);
    try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
      for (Path blob : blobs.toList()) {
        assertTrue(BLOB_NAME.matcher(blob.getFileName().toString()).matches(), "temp " + blob);
      }
    }
    boolean temps;
    try (Stream<Path> top = Files.list(layout)) {
      temps = top.anyMatch(p -> p.getFileName().toString().startsWith(".umoci-"));
    }
    boolean changed = target != null && !Objects.equals(before.get(target), after.get(target));
    return (temps ? "temporaries" : "clean")
        + (changed ? "+tag-written" : "")
        + scenario.progress();
  }

  private Map<String, Digest> tags() throws IOException {
    Map<String, Digest> out = new TreeMap<>();
    try (OciLayout l = OciLayout.open(layout)) {
      for (String tag : References.list(l)) {
        Descriptor d = References.resolve(l, tag);
        out.put(tag, d.digest());
      }
    }
    return out;
  }

  private void removeTag(String tag) throws IOException {
    try (OciLayout l = OciLayout.open(layout)) {
      References.delete(l, tag);
    }
  }

  private record Run(int exit, long millis) {}

  private interface Timed {
    long millis() throws Exception;
  }

  /**
   * The shortest of three timings: a busy machine only ever makes a run slower, so the minimum is
   * the best estimate of the work itself, and later runs that take longer are killed all the same.
   */
  private static long fastest(Timed timed) throws Exception {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      best = Math.min(best, timed.millis());
    }
    return best;
  }

  private static Process start(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("UMOCI_JAVA_OPTS");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }

  private static Run launch(List<String> args) throws Exception {
    long t0 = System.nanoTime();
    Process p = start(args);
    int exit = p.waitFor();
    return new Run(exit, (System.nanoTime() - t0) / 1_000_000);
  }

  private static void deleteTree(Path path) {
    try {
      TreeRemover.direct().remove(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
