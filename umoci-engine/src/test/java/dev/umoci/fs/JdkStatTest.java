package dev.umoci.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
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

  @Test
  void lstatOrMissingAnswersMissingPathsWithoutAnException() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "content");
    Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("file"));
    assertEquals(Optional.of(JdkStat.lstat(file)), JdkStat.lstatOrMissing(file));
    assertEquals(Optional.of(JdkStat.lstat(link)), JdkStat.lstatOrMissing(link));
    assertEquals(Optional.empty(), JdkStat.lstatOrMissing(dir.resolve("absent")));
    // A parent that is a regular file: ENOTDIR, also "nothing there".
    assertEquals(Optional.empty(), JdkStat.lstatOrMissing(file.resolve("child")));
    assertEquals(null, PosixFs.host().lstatOrNull(file.resolve("child")));
  }

  /**
   * A failure other than "nothing there" comes out as the JDK's exception. A name longer than
   * NAME_MAX fails with ENAMETOOLONG for every user (a permission error would not fail for root,
   * which the tests may run as).
   */
  @Test
  void lstatOrMissingReportsOtherFailuresWithTheJdkException() throws Exception {
    Path tooLong = dir.resolve("n".repeat(300));
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> JdkStat.lstatOrMissing(tooLong));
    assertFalse(e instanceof NoSuchFileException, e.toString());
    assertThrows(FileSystemException.class, () -> PosixFs.host().lstatOrNull(tooLong));
  }

  @Test
  void lstatOrMissingLeavesOtherFileSystemsToThePublicApi() throws Exception {
    try (FileSystem zip =
        FileSystems.newFileSystem(dir.resolve("a.zip"), Map.of("create", "true"))) {
      assertNull(JdkStat.lstatOrMissing(zip.getPath("/x")));
    }
  }
}
