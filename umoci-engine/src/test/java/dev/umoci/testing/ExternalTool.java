package dev.umoci.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external program (Debian's umoci, skopeo, ...) and captures its output. */
public final class ExternalTool {
  private ExternalTool() {}

  /** The outcome of one run. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** Fails with the captured output unless the exit code is 0. */
    public Result assertSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(
            "command failed with exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
      }
      return this;
    }
  }

  /** True when {@code program} is an executable file (absolute path). */
  public static boolean available(String program) {
    return Files.isExecutable(Path.of(program));
  }

  /** Runs {@code command} with a 120 s limit. */
  public static Result run(String... command) throws IOException, InterruptedException {
    return run(List.of(command));
  }

  /** Runs {@code command} with a 120 s limit. */
  public static Result run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("tool-out", ".txt");
    Path err = Files.createTempFile("tool-err", ".txt");
    try {
      Process p =
          new ProcessBuilder(new ArrayList<>(command))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
