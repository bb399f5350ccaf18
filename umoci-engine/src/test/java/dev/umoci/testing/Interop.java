package dev.umoci.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Preconditions of interop tests (Debian's umoci, skopeo, runc, GNU tar, the debootstrap image). On
 * a developer machine a missing precondition skips the test; in CI ({@code CI=true}, as {@code
 * .ci/run} runs, or {@code -Dumoci.requireTools=true}) it fails it, so that a broken install step
 * can never turn the interop suite into silent skips.
 */
public final class Interop {
  private Interop() {}

  /** True when missing tools must fail tests instead of skipping them. */
  public static boolean strict() {
    return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("umoci.requireTools");
  }

  /** Skips (or, in CI, fails) the current test unless {@code condition} holds. */
  public static void require(boolean condition, String why) {
    if (condition) {
      return;
    }
    if (strict()) {
      fail("interop precondition failed in CI: " + why);
    }
    assumeTrue(false, why);
  }

  /** Requires an executable at {@code program} (an absolute path). */
  public static void requireTool(String program) {
    require(Files.isExecutable(Path.of(program)), program + " is not installed");
  }

  /** Debian's umoci, the Go implementation the engine is checked against. */
  public static final String DEBIAN_UMOCI = "/usr/bin/umoci";

  /**
   * Unpacks {@code image} ({@code layout:tag}) into {@code bundle} with Debian's umoci ({@code
   * --rootless}), requiring it to succeed: what the Go implementation reads of an image we wrote.
   */
  public static void unpackWithDebianUmoci(String image, Path bundle)
      throws IOException, InterruptedException {
    requireTool(DEBIAN_UMOCI);
    ExternalTool.run(DEBIAN_UMOCI, "unpack", "--rootless", "--image", image, bundle.toString())
        .assertSuccess();
  }
}
