package dev.umoci.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public-API route of {@link PathBytes} (used where sun.nio.fs is not opened) gives the same
 * bytes as the JDK's internal form, which these tests can see (surefire opens it).
 */
class ByteUrisTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void relativeAndAbsoluteNamesKeepTheirBytes() {
    for (byte[] name :
        new byte[][] {
          "ünï/dir/ä".getBytes(StandardCharsets.UTF_8),
          b("lat\u00fc"),
          b("a b%20c/#?;=+&\u00ff"),
          b("x/\u0080\u00c3/..."),
          b("/abs/\u00e9t\u00e9"),
          b("/")
        }) {
      Path p = ByteUris.path(name);
      assertArrayEquals(name, PathBytes.of(p), PathBytes.escape(name));
      assertArrayEquals(name, ByteUris.bytes(p), PathBytes.escape(name));
      assertEquals(name[0] == '/', p.isAbsolute());
    }
    assertArrayEquals(new byte[0], ByteUris.bytes(ByteUris.path(new byte[0])));
  }

  @Test
  void slashesAreCleanedAsPathOfCleansThem() {
    assertArrayEquals(b("a/\u00fc/c"), PathBytes.of(ByteUris.path(b("a//\u00fc/c/"))));
    assertEquals(3, ByteUris.path(b("a//\u00fc/c/")).getNameCount());
  }

  @Test
  void pathsResolveAndCreateFilesWithTheExactName() throws Exception {
    byte[] latin1 = b("caf\u00e9");
    Path file = dir.resolve(ByteUris.path(latin1));
    Files.writeString(file, "x");
    try (var list = Files.list(dir)) {
      Path listed = list.findFirst().orElseThrow();
      assertArrayEquals(latin1, ByteUris.bytes(listed.getFileName()));
      assertArrayEquals(PathBytes.of(listed), ByteUris.bytes(listed));
    }
    Files.createDirectory(dir.resolve(ByteUris.path(b("d\u00ee"))));
    assertTrue(Files.isDirectory(dir.resolve(ByteUris.path(b("d\u00ee")))));
    assertArrayEquals(
        PathBytes.of(dir.resolve(ByteUris.path(b("d\u00ee")))),
        ByteUris.bytes(dir.resolve(ByteUris.path(b("d\u00ee")))),
        "a directory's URI ends in '/', its bytes do not");
    assertFalse(Files.exists(dir.resolve("caf?")));
  }
}
