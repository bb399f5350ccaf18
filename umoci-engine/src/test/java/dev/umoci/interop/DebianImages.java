package dev.umoci.interop;

import dev.umoci.testing.Interop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Real Debian root filesystem images built by {@code scripts/debian-image.sh} (debootstrap and
 * Debian's umoci), kept in {@code target/debian-images} so that later test runs reuse them. Tests
 * that need one are skipped when the tools or root are missing, and fail under {@code CI=true}
 * ({@link dev.umoci.testing.Interop}).
 */
final class DebianImages {
  private DebianImages() {}

  /** The layout holding the {@code small} image (tag {@code small}), built on first use. */
  static synchronized Path small() throws IOException, InterruptedException {
    return build("small");
  }

  private static Path build(String kind) throws IOException, InterruptedException {
    Interop.require(UmociInteropTest.root(), "building a Debian rootfs needs root");
    Interop.require(
        Files.isExecutable(Path.of("/usr/sbin/debootstrap")), "debootstrap not installed");
    Interop.require(
        Files.isExecutable(Path.of(UmociInteropTest.UMOCI)), "Debian umoci not installed");
    Path script = findScript();
    Path layout = Path.of("target", "debian-images").toAbsolutePath();
    Files.createDirectories(layout.getParent());
    Path log = Files.createTempFile("debian-image", ".log");
    try {
      Process p =
          new ProcessBuilder(script.toString(), kind, layout.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("debian-image.sh " + kind + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            "debian-image.sh "
                + kind
                + " failed: "
                + Files.readString(log, StandardCharsets.UTF_8));
      }
    } finally {
      Files.deleteIfExists(log);
    }
    return layout;
  }

  private static Path findScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("scripts/debian-image.sh");
      if (Files.isExecutable(script)) {
        return script;
      }
    }
    throw new AssertionError(
        "scripts/debian-image.sh not found above " + Path.of("").toAbsolutePath());
  }
}
