package dev.umoci.sys;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shutdown hook does with one registration (the hook itself, run by a real SIGTERM, is
 * covered by {@code InterruptedCommandsIT}; running it here would remove other tests' trees).
 */
class ExitRemovalsTest {
  @TempDir Path tmp;

  @Test
  void removeNowTakesTheTreeWhileAWriterStillHoldsAFileInIt() throws Exception {
    Path tree = Files.createDirectories(tmp.resolve(".umoci-1/sub"));
    ExitRemovals.Registration r = ExitRemovals.register(tree.getParent());
    assertTrue(r.pending());
    try (OutputStream writer = Files.newOutputStream(tree.resolve("blob-1"))) {
      writer.write(new byte[4096]);
      r.removeNow();
      assertFalse(Files.exists(tmp.resolve(".umoci-1")));
    }
    assertFalse(r.pending(), "removed once is enough");
  }

  @Test
  void aClosedRegistrationLeavesTheTreeToItsOwner() throws Exception {
    Path tree = Files.createDirectory(tmp.resolve("kept"));
    try (ExitRemovals.Registration r = ExitRemovals.register(tree)) {
      assertTrue(r.pending());
    }
    assertTrue(Files.isDirectory(tree));
  }
}
