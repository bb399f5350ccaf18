package dev.umoci.testing;

import dev.umoci.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the CLI in-process through {@link Main#run} and captures its output. */
public final class CliRunner {
  private CliRunner() {}

  /** Exit status and captured streams of one run. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result assertSuccess() {
      if (exitCode != 0) {
        throw new AssertionError("umoci failed (" + exitCode + "): " + stderr + stdout);
      }
      return this;
    }
  }

  /** Runs {@code args} with an empty environment (no SOURCE_DATE_EPOCH). */
  public static Result run(String... args) {
    return runWithEnv(Map.of(), args);
  }

  /** Runs {@code args} with the given environment. */
  public static Result runWithEnv(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
