package dev.umoci.mtree;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real tools (Debian's umoci) in interop tests. */
final class Proc {
  static final Path UMOCI = Path.of("/usr/bin/umoci");

  private Proc() {}

  static boolean umociInstalled() {
    return Files.isExecutable(UMOCI);
  }

  /** Runs {@code cmd} in {@code dir}; fails the test unless it exits 0. Returns stdout+stderr. */
  static String run(Path dir, String... cmd) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", cmd) + " timed out");
    }
    if (p.exitValue() != 0) {
      fail(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
    }
    return out;
  }
}
