package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/umoci against the packaged jar (runs in {@code verify}, after {@code package}): the
 * class-data-sharing archive the build made is valid and used, and a missing, stale, foreign or
 * corrupt archive changes nothing the user sees.
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of(System.getProperty("umoci.launcher"));
  private static final Path JAR = Path.of(System.getProperty("umoci.jar"));
  private static final Path ARCHIVE = Path.of(System.getProperty("umoci.jsa"));

  @TempDir Path tmp;

  record Run(int exit, String stdout, String stderr) {}

  private static Run run(Path launcher, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("UMOCI_JAVA_OPTS");
    pb.environment().putAll(env);
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      int exit = p.waitFor();
      return new Run(exit, Files.readString(out), Files.readString(err));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }

  /** init, new, ls through {@code launcher}: must succeed with nothing on stderr. */
  private void worksQuietly(Path launcher, Map<String, String> env) throws Exception {
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    for (String[] args :
        new String[][] {{"init", "--layout", layout}, {"new", "--image", layout + ":a"}}) {
      Run r = run(launcher, env, args);
      assertEquals(new Run(0, "", ""), r, String.join(" ", args));
    }
    assertEquals(new Run(0, "a\n", ""), run(launcher, env, "ls", "--layout", layout));
  }

  /** A copy of the launcher with the jar beside it, and {@code archive} (if any) written after. */
  private Path install(String name, byte[] archive) throws IOException {
    Path dir = Files.createDirectory(tmp.resolve(name));
    Path launcher = Files.copy(LAUNCHER, dir.resolve("umoci"), StandardCopyOption.COPY_ATTRIBUTES);
    Path jar = Files.copy(JAR, dir.resolve("umoci.jar"));
    if (archive != null) {
      Path jsa = Files.write(dir.resolve("umoci.jsa"), archive);
      Files.setLastModifiedTime(
          jsa, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
    }
    return launcher;
  }

  @Test
  void theBuiltArchiveIsValidForTheLauncher() throws Exception {
    // -Xshare:on makes the JVM fail unless it maps the archive.
    worksQuietly(LAUNCHER, Map.of("UMOCI_JAVA_OPTS", "-Xshare:on"));
    worksQuietly(LAUNCHER, Map.of());
  }

  @Test
  void longCommandsWorkAndGcChoiceCanBeOverridden() throws Exception {
    Path tar = Files.write(tmp.resolve("empty.tar"), new byte[1024]);
    String layout = tmp.resolve("l").toString();
    Map<String, String> g1 = Map.of("UMOCI_JAVA_OPTS", "-XX:+UseG1GC");
    assertEquals(0, run(LAUNCHER, g1, "init", "--layout", layout).exit());
    assertEquals(0, run(LAUNCHER, g1, "new", "--image", layout + ":a").exit());
    Run r =
        run(
            LAUNCHER,
            Map.of(),
            "--log",
            "error",
            "raw",
            "add-layer",
            "--image",
            layout + ":a",
            tar.toString());
    assertEquals(new Run(0, "", ""), r);
  }

  @Test
  void noArchiveIsFine() throws Exception {
    worksQuietly(install("none", null), Map.of());
  }

  @Test
  void anArchiveForAnotherJarIsIgnoredSilently() throws Exception {
    worksQuietly(install("foreign", Files.readAllBytes(ARCHIVE)), Map.of());
  }

  @Test
  void aCorruptArchiveIsIgnoredSilently() throws Exception {
    worksQuietly(
        install("corrupt", "not a CDS archive".getBytes(StandardCharsets.US_ASCII)), Map.of());
  }

  @Test
  void anArchiveOlderThanTheJarIsNotUsed() throws Exception {
    Path launcher = install("stale", Files.readAllBytes(ARCHIVE));
    Path jsa = launcher.resolveSibling("umoci.jsa");
    Files.setLastModifiedTime(jsa, FileTime.fromMillis(0));
    // It would not even be tried: -Xshare:on with no archive named still maps the JDK's own.
    worksQuietly(launcher, Map.of("UMOCI_JAVA_OPTS", "-Xshare:on"));
  }
}
