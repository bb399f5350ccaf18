package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.umoci.errors.InvalidArgumentException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A copy between registries spools where skopeo puts big temporary files: TMPDIR, /var/tmp. */
class SpoolDirectoryTest {
  @TempDir Path tmp;

  @Test
  void tmpdirWinsThenVarTmp() throws Exception {
    assertEquals(tmp, SpoolDirectory.parent(Map.of("TMPDIR", tmp.toString())));
    assertEquals(Path.of("/var/tmp"), SpoolDirectory.parent(Map.of()));
    assertEquals(Path.of("/var/tmp"), SpoolDirectory.parent(Map.of("TMPDIR", "")));
  }

  @Test
  void aTmpdirThatIsNoDirectoryIsNamed() {
    String missing = tmp.resolve("missing").toString();
    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class, () -> SpoolDirectory.parent(Map.of("TMPDIR", missing)));
    assertEquals(
        "TMPDIR="
            + missing
            + ": no such directory (a copy between registries keeps the image there on its way)",
        e.getMessage());
  }
}
