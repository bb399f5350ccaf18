package dev.umoci.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.sys.Errno;
import dev.umoci.sys.ErrnoException;
import dev.umoci.sys.PathBytes;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativePosixFsTest {
  private final PosixFs fs = PosixFs.host();
  @TempDir Path dir;

  @Test
  void binaryXattrValuesRoundTripExactly() throws Exception {
    Path f = Files.createFile(dir.resolve("f"));
    byte[] value = {0, 1, (byte) 0xff, (byte) 0xc3, 0x28, 0, 7};
    fs.setXattr(f, "user.binary", value);
    assertArrayEquals(value, fs.getXattr(f, "user.binary"));
    assertTrue(fs.listXattrs(f).contains("user.binary"));
    fs.removeXattr(f, "user.binary");
    assertNull(fs.getXattr(f, "user.binary"));
    fs.removeXattr(f, "user.binary"); // absent: not an error
  }

  @Test
  void chmodKeepsSpecialBits() throws Exception {
    Path f = Files.createFile(dir.resolve("f"));
    fs.chmod(f, 07755);
    assertEquals(07755, fs.lstat(f).permissions());
    assertTrue(fs.lstat(f).isRegularFile());
  }

  @Test
  void setTimesDoesNotFollowSymlinks() throws Exception {
    Path target = Files.createFile(dir.resolve("target"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    long before = fs.lstat(target).mtimeNanos();
    fs.setTimes(link, 1_000_000_000L, 2_000_000_123L);
    assertEquals(2_000_000_123L, fs.lstat(link).mtimeNanos());
    assertEquals(before, fs.lstat(target).mtimeNanos());
  }

  @Test
  void fifoAndErrnoReporting() throws Exception {
    Path fifo = dir.resolve("fifo");
    fs.mkfifo(fifo, 0640);
    assertEquals(FileStat.S_IFIFO, fs.lstat(fifo).type());
    ErrnoException e = assertThrows(ErrnoException.class, () -> fs.mkfifo(fifo, 0640));
    assertEquals(Errno.EEXIST, e.errno());
    assertTrue(e.getMessage().contains(fifo.toString()), e.getMessage());
  }

  @Test
  void unlinkRemovesASymlinkNotItsTargetAndRmdirOnlyEmptyDirectories() throws Exception {
    Path target = Files.writeString(dir.resolve("target"), "kept");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    fs.unlink(link);
    assertNull(fs.lstatOrNull(link));
    assertEquals("kept", Files.readString(target));

    Path sub = Files.createDirectory(dir.resolve("sub"));
    Files.createFile(sub.resolve("child"));
    ErrnoException notEmpty = assertThrows(ErrnoException.class, () -> fs.rmdir(sub));
    assertEquals(39 /* ENOTEMPTY */, notEmpty.errno());
    assertTrue(notEmpty.getMessage().contains(sub.toString()), notEmpty.getMessage());
    assertEquals(Errno.EISDIR, assertThrows(ErrnoException.class, () -> fs.unlink(sub)).errno());
    fs.unlink(sub.resolve("child"));
    fs.rmdir(sub);
    assertNull(fs.lstatOrNull(sub));
    assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class, () -> fs.unlink(sub)).errno());
  }

  @Test
  void nonUtf8NamesKeepTheirBytes() throws Exception {
    assertTrue(PathBytes.rawNamesSupported(), "tests run with --add-opens java.base/sun.nio.fs");
    byte[] name = {'a', (byte) 0xff, 'b', '\n', '\\'};
    Path p = PathBytes.resolve(dir, name);
    Files.createFile(p);
    try (var entries = Files.list(dir)) {
      Path listed = entries.findFirst().orElseThrow();
      assertArrayEquals(name, PathBytes.fileName(listed));
      assertTrue(Files.exists(listed, LinkOption.NOFOLLOW_LINKS));
    }
  }

  @Test
  void deviceNumbersEncodeLikeGlibc() {
    long dev = FileStat.makedev(259, 65537);
    assertEquals(259, FileStat.major(dev));
    assertEquals(65537, FileStat.minor(dev));
    assertEquals(0x0103, FileStat.makedev(1, 3));
  }
}
