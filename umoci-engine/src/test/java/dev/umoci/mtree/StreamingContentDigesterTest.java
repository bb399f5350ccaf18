package dev.umoci.mtree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.umoci.fs.PosixFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming digester against the JDK's own digests: SHA-256 alone (read into a direct buffer)
 * and SHA-256 with other kinds (the heap path) give the JDK's answer for every size around the
 * buffer's, file after file on one thread (the digest and buffer are reused).
 */
class StreamingContentDigesterTest {
  private static final int MIB = 1 << 20;

  @TempDir Path dir;

  @Test
  void sha256AloneAndWithOtherKindsEqualTheJdksForEverySize() throws Exception {
    Random random = new Random(16);
    int[] sizes = {0, 1, 55, 64 * 1024, MIB - 1, MIB, MIB + 1, 3 * MIB + 17};
    ContentDigester digester = ContentDigester.streaming();
    for (int round = 0; round < 2; round++) {
      for (int size : sizes) {
        byte[] content = new byte[size];
        random.nextBytes(content);
        Path file = dir.resolve("f" + size + "-" + round);
        Files.write(file, content);
        String expected = hex("SHA-256", content);
        Map<DigestKind, String> alone =
            digester.digest(file, PosixFs.host().lstat(file), Set.of(DigestKind.SHA256));
        assertEquals(Map.of(DigestKind.SHA256, expected), alone, "size " + size);
        Map<DigestKind, String> several =
            digester.digest(
                file,
                PosixFs.host().lstat(file),
                EnumSet.of(DigestKind.SHA256, DigestKind.MD5, DigestKind.SHA512));
        assertEquals(expected, several.get(DigestKind.SHA256), "size " + size);
        assertEquals(hex("MD5", content), several.get(DigestKind.MD5), "size " + size);
        assertEquals(hex("SHA-512", content), several.get(DigestKind.SHA512), "size " + size);
      }
    }
  }

  @Test
  void aSymlinkIsNotFollowed() throws Exception {
    Path target = Files.write(dir.resolve("target"), new byte[] {1, 2, 3});
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    assertThrows(
        IOException.class,
        () ->
            ContentDigester.streaming()
                .digest(link, PosixFs.host().lstat(link), Set.of(DigestKind.SHA256)));
  }

  private static String hex(String algorithm, byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
  }
}
