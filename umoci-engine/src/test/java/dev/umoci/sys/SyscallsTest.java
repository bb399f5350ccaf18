package dev.umoci.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyscallsTest {
  @TempDir Path dir;

  @Test
  void lstatErrnoNamesWhyAPathIsMissing() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
    assertEquals(0, Syscalls.lstatErrno(file));
    assertEquals(0, Syscalls.lstatErrno(dir));
    assertEquals(0, Syscalls.lstatErrno(dir.resolve("dangling")), "the link itself exists");
    assertEquals(Errno.ENOENT, Syscalls.lstatErrno(dir.resolve("missing")));
    assertEquals(Errno.ENOTDIR, Syscalls.lstatErrno(file.resolve("below")));
  }

  @Test
  void nothingIsThereOnlyForAMissingPathOrParent() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
    assertFalse(Syscalls.lstatFindsNothing(file));
    assertFalse(Syscalls.lstatFindsNothing(dir.resolve("dangling")));
    assertTrue(Syscalls.lstatFindsNothing(dir.resolve("missing")));
    assertTrue(Syscalls.lstatFindsNothing(file.resolve("below")));
    assertTrue(Errno.isMissingPath(Errno.ENOENT));
    assertTrue(Errno.isMissingPath(Errno.ENOTDIR));
    assertFalse(Errno.isMissingPath(Errno.EACCES));
    assertFalse(Errno.isMissingPath(0));
  }

  @Test
  void failuresCarryErrnoAndItsName() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    ErrnoException e =
        assertThrows(ErrnoException.class, () -> Syscalls.unlink(file.resolve("below")));
    assertEquals(Errno.ENOTDIR, e.errno());
    assertTrue(e.isMissingPath());
    assertTrue(e.getMessage().contains("ENOTDIR"), e.getMessage());
    assertEquals(
        Errno.ENOTEMPTY, assertThrows(ErrnoException.class, () -> Syscalls.rmdir(dir)).errno());
  }

  @Test
  void flockOnTwoDescriptionsExcludes() throws Exception {
    int a = Syscalls.openReadOnly(dir);
    int b = Syscalls.openReadOnly(dir);
    try {
      assertTrue(Syscalls.flock(a, Syscalls.LOCK_EX | Syscalls.LOCK_NB, dir));
      assertFalse(Syscalls.flock(b, Syscalls.LOCK_EX | Syscalls.LOCK_NB, dir));
      assertTrue(Syscalls.flock(a, Syscalls.LOCK_UN, dir));
      assertTrue(Syscalls.flock(b, Syscalls.LOCK_EX | Syscalls.LOCK_NB, dir));
    } finally {
      Syscalls.closeQuietly(a);
      Syscalls.closeQuietly(b);
    }
    assertEquals(
        Errno.ENOENT,
        assertThrows(ErrnoException.class, () -> Syscalls.openReadOnly(dir.resolve("gone")))
            .errno());
  }

  @Test
  void symlinkAndReadlinkKeepTargetBytes() throws Exception {
    byte[] target = "a//b/\u00fc/".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path link = dir.resolve("l");
    Syscalls.symlink(target, link);
    assertArrayEquals(target, Syscalls.readlink(link));
    byte[] longTarget = "x".repeat(3000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Syscalls.symlink(longTarget, dir.resolve("long"));
    assertArrayEquals(longTarget, Syscalls.readlink(dir.resolve("long")));
  }

  @Test
  void errnoNames() {
    assertEquals("ENOENT", Errno.name(Errno.ENOENT));
    assertEquals("EAGAIN", Errno.name(Errno.EWOULDBLOCK));
    assertEquals("errno 4242", Errno.name(4242));
  }

  @Test
  void releasedMappedPagesLeaveTheResidentSetAndReadTheSameBytesAgain() throws Exception {
    byte[] data = new byte[4 << 20];
    new java.util.Random(7).nextBytes(data);
    Path file = Files.write(dir.resolve("blob"), data);
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
      // an unaligned start, as a range in the middle of a blob has
      java.nio.MappedByteBuffer mapped =
          channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 1000, data.length - 1000);
      byte[] first = new byte[mapped.capacity()];
      mapped.get(0, first);
      assertTrue(residentKb(file) >= 3 * 1024, "touched pages are resident");
      Syscalls.releaseMappedPages(mapped, file);
      assertTrue(residentKb(file) <= 8, "released pages left: " + residentKb(file) + " kB");
      byte[] again = new byte[mapped.capacity()];
      mapped.get(0, again);
      assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, data.length), again);
      assertArrayEquals(first, again);
    }
  }

  /** The resident kB of this process's mappings of {@code file} (/proc/self/smaps). */
  private static long residentKb(Path file) throws Exception {
    long kb = 0;
    boolean ours = false;
    for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
      if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
        ours = line.endsWith(" " + file.toRealPath());
      } else if (ours && line.startsWith("Rss:")) {
        kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return kb;
  }
}
