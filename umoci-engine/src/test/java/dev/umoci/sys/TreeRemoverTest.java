package dev.umoci.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeRemoverTest {
  @TempDir Path tmp;

  @Test
  void removesATreeWithoutFollowingSymlinks() throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "k");
    Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
    Files.writeString(tree.resolve("f"), "f");
    Files.createSymbolicLink(tmp.resolve("tree/a/link"), outside);
    Files.createSymbolicLink(tmp.resolve("tree/dangling"), tmp.resolve("nowhere"));
    List<Path> hooked = new ArrayList<>();
    new TreeRemover(TreeRemover.SYSCALLS, false, hooked::add).remove(tmp.resolve("tree"));
    assertTrue(Files.notExists(tmp.resolve("tree"), LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(outside.resolve("keep")), "the link's target is untouched");
    assertEquals(
        List.of(tmp.resolve("tree"), tmp.resolve("tree/a"), tmp.resolve("tree/a/b")), hooked);
  }

  @Test
  void aMissingPathOrASingleFileIsFine() throws Exception {
    TreeRemover.direct().remove(tmp.resolve("missing"));
    TreeRemover.direct().remove(tmp.resolve("missing/below"));
    Path file = Files.writeString(tmp.resolve("file"), "x");
    TreeRemover.direct().remove(file);
    assertTrue(Files.notExists(file));
  }

  /**
   * A directory without owner permissions: refused by rmdir for a caller without CAP_DAC_OVERRIDE,
   * and by the granting remover never. The calls are counted, so this holds for root as well.
   */
  @Test
  void ownerAccessIsGrantedOnlyWhenAsked() throws Exception {
    Path locked = Files.createDirectories(tmp.resolve("locked/inner"));
    Files.writeString(locked.resolve("f"), "x");
    Syscalls.chmod(locked, 0);
    List<String> chmods = new ArrayList<>();
    TreeRemover.Calls counting =
        new TreeRemover.Calls() {
          @Override
          public int modeOrMissing(Path path) throws java.io.IOException {
            return TreeRemover.SYSCALLS.modeOrMissing(path);
          }

          @Override
          public void chmod(Path path, int mode) throws java.io.IOException {
            chmods.add(tmp.relativize(path) + " " + Integer.toOctalString(mode));
            TreeRemover.SYSCALLS.chmod(path, mode);
          }

          @Override
          public void unlink(Path path) throws java.io.IOException {
            TreeRemover.SYSCALLS.unlink(path);
          }

          @Override
          public void rmdir(Path path) throws java.io.IOException {
            TreeRemover.SYSCALLS.rmdir(path);
          }
        };
    new TreeRemover(counting, true, dir -> {}).remove(tmp.resolve("locked"));
    assertEquals(List.of("locked/inner 700"), chmods);
    assertTrue(Files.notExists(tmp.resolve("locked")));
  }

  @Test
  void otherFailuresSurface() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("d"));
    TreeRemover failing =
        new TreeRemover(
            TreeRemover.SYSCALLS,
            false,
            d -> {
              throw new ErrnoException("hook", d.toString(), Errno.EIO, "injected");
            });
    assertEquals(Errno.EIO, assertThrows(ErrnoException.class, () -> failing.remove(dir)).errno());
    assertTrue(Files.exists(dir));
  }
}
