package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.ops.Copy;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line of a real {@code copy} process under {@code script}: standard error on a
 * terminal, standard output into a file (so {@code System.console()} is null).
 */
class ProgressOnTerminalTest {
  @TempDir Path tmp;

  @Test
  void drawnWhenOnlyStandardErrorIsATerminalEndedAndSilencedByQuiet() throws Exception {
    try (TestRegistry registry = TestRegistry.plain(tmp.resolve("reg"))) {
      Path src = tmp.resolve("src");
      TestImages.image(src, "v1", Copy.hostPlatform().architecture(), "progress", 300_000);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String base =
          java
              + " --add-opens java.base/sun.nio.fs=ALL-UNNAMED -cp '"
              + System.getProperty("java.class.path")
              + "' dev.umoci.cli.Main copy --dest-tls-verify=false oci:"
              + src
              + ":v1 docker://"
              + registry.host();
      Path typescript = tmp.resolve("typescript");
      ExternalTool.run(
              "/usr/bin/script",
              "-qec",
              base + "/p/a:v1 > " + tmp.resolve("stdout") + "; echo AFTER",
              typescript.toString())
          .assertSuccess();
      String screen = Files.readString(typescript, StandardCharsets.UTF_8);
      assertTrue(screen.matches("(?s).*copying blobs: 3/3[^\r\n]*\r?\nAFTER.*"), screen);
      assertTrue(Files.readString(tmp.resolve("stdout")).startsWith("sha256:"));

      // every blob already there (skipped): the line still ends before what follows
      ExternalTool.run(
              "/usr/bin/script",
              "-qec",
              base + "/p/a:v1 > /dev/null; echo AFTER",
              typescript.toString())
          .assertSuccess();
      screen = Files.readString(typescript, StandardCharsets.UTF_8);
      assertTrue(screen.matches("(?s).*copying blobs: [^\r\n]*\r?\nAFTER.*"), screen);

      ExternalTool.run(
              "/usr/bin/script",
              "-qec",
              base.replace(" copy ", " copy -q ") + "/p/b:v1 > /dev/null",
              typescript.toString())
          .assertSuccess();
      assertFalse(
          Files.readString(typescript, StandardCharsets.UTF_8).contains("copying blobs"),
          "--quiet");
    }
  }
}
