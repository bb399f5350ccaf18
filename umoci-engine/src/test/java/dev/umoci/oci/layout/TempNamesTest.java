package dev.umoci.oci.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempNamesTest {
  @TempDir Path dir;

  @Test
  void filesAreNewPrivateAndDistinct() throws Exception {
    Set<Path> made = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Path p = TempNames.createFile(dir, "index-", ".tmp");
      assertTrue(made.add(p), "name given twice: " + p);
      assertEquals(dir, p.getParent());
      String name = p.getFileName().toString();
      assertTrue(name.startsWith("index-") && name.endsWith(".tmp"), name);
      assertEquals(0, Files.size(p));
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      assertFalse(perms.contains(PosixFilePermission.GROUP_READ), perms.toString());
      assertFalse(perms.contains(PosixFilePermission.OTHERS_READ), perms.toString());
      assertFalse(perms.contains(PosixFilePermission.OWNER_EXECUTE), perms.toString());
    }
  }

  @Test
  void directoriesAreNewAndOwnerOnly() throws Exception {
    Path a = TempNames.createDirectory(dir, ".umoci-");
    Path b = TempNames.createDirectory(dir, ".umoci-");
    assertFalse(a.equals(b));
    for (Path p : new Path[] {a, b}) {
      assertTrue(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
      assertTrue(p.getFileName().toString().startsWith(".umoci-"));
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      assertTrue(perms.contains(PosixFilePermission.OWNER_EXECUTE), perms.toString());
      assertFalse(perms.contains(PosixFilePermission.GROUP_EXECUTE), perms.toString());
      assertFalse(perms.contains(PosixFilePermission.OTHERS_EXECUTE), perms.toString());
    }
  }

  @Test
  void aMissingDirectoryIsAnErrorNotARetryLoop() {
    Path missing = dir.resolve("missing");
    org.junit.jupiter.api.Assertions.assertThrows(
        java.nio.file.NoSuchFileException.class, () -> TempNames.createFile(missing, "x-", ""));
  }
}
