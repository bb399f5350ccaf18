package dev.umoci.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkStatTest {
  @TempDir Path dir;

  @Test
  void availableWhenTheTestJvmOpensSunNioFs() {
    // surefire runs with --add-opens java.base/sun.nio.fs=ALL-UNNAMED, as the CLI jar does.
    assertTrue(JdkStat.available());
  }

  @Test
  void sameValuesAsThePublicAttributeApiForEveryType() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "content");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2001-02-03T04:05:06.123456789Z")));
    Path old = Files.createFile(dir.resolve("old"));
    PosixFs.host().setTimes(old, 0, -315619199500000000L); // 1960-01-01T00:00:00.5Z
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("file"));
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nowhere"));
    Path fifo = dir.resolve("fifo");
    PosixFs.host().mkfifo(fifo, 0640);
    for (Path p : new Path[] {file, old, sub, link, dangling, fifo, dir}) {
      assertEquals(NativePosixFs.lstatByAttributes(p), JdkStat.lstat(p), p.toString());
    }
    assertEquals(FileStat.S_IFLNK, JdkStat.lstat(link).type());
    assertEquals(-315619199500000000L, JdkStat.lstat(old).mtimeNanos());
  }

  @Test
  void missingPathIsNoSuchFile() {
    assertThrows(NoSuchFileException.class, () -> JdkStat.lstat(dir.resolve("absent")));
  }
}
