package dev.umoci.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Platform;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MknodTest {
  private static final int S_IFIFO = 0010000;
  private static final int S_IFCHR = 0020000;

  @TempDir Path dir;

  private static Map<String, Object> lstat(Path p) throws Exception {
    return Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void hostBindingCreatesNodes() throws Exception {
    Path fifo = dir.resolve("fifo");
    Syscalls.mknod(fifo, S_IFIFO | 0640, 0);
    assertEquals(S_IFIFO | 0640, (int) lstat(fifo).get("mode") & 0177777);
  }

  /** What glibc before 2.33 offers: no mknod symbol, only __xmknod with a version argument. */
  @Test
  void fallsBackToXmknodWhenMknodIsMissing() throws Exception {
    Mknod.Call call = Mknod.resolve("no_such_symbol_mknod", "__xmknod", Platform.ARCH);
    Path fifo = dir.resolve("fifo");
    assertEquals(0, call.mknod(PathBytes.cString(PathBytes.of(fifo)), S_IFIFO | 0600, 0));
    assertEquals(S_IFIFO | 0600, (int) lstat(fifo).get("mode") & 0177777);
    // The device number travels by pointer in __xmknod; a character device shows it arrived.
    // Creating one needs CAP_MKNOD, which the test machines (root) have.
    Path chr = dir.resolve("chr");
    long dev = (1L << 8) | 3; // makedev(1, 3), /dev/null
    call.mknod(PathBytes.cString(PathBytes.of(chr)), S_IFCHR | 0666, dev);
    Map<String, Object> st = lstat(chr);
    assertEquals(S_IFCHR, (int) st.get("mode") & 0170000);
    assertEquals(dev, (long) st.get("rdev"));
  }

  @Test
  void neitherSymbolIsAClearErrorOnlyWhenCalled() throws Exception {
    Mknod.Call call = Mknod.resolve("no_such_mknod", "no_such_xmknod", Platform.ARCH);
    UnsupportedOperationException e =
        assertThrows(
            UnsupportedOperationException.class,
            () -> call.mknod(PathBytes.cString(PathBytes.of(dir.resolve("x"))), S_IFIFO, 0));
    assertTrue(e.getMessage().contains("neither no_such_mknod nor no_such_xmknod"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("x")));
  }

  @Test
  void unknownArchitectureIsNotGuessed() {
    assertEquals(0, Mknod.mknodVersion("x86-64"));
    assertEquals(0, Mknod.mknodVersion("aarch64"));
    assertNull(Mknod.mknodVersion("x86"));
    Mknod.Call call = Mknod.resolve("no_such_symbol_mknod", "__xmknod", "x86");
    assertThrows(UnsupportedOperationException.class, () -> call.mknod(new byte[] {0}, 0, 0));
  }
}
