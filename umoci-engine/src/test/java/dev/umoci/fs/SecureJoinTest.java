package dev.umoci.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.umoci.errors.UnsafeArchiveEntryException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureJoinTest {
  @TempDir Path tmp;
  Path root;

  @BeforeEach
  void makeRoot() throws Exception {
    root = Files.createDirectories(tmp.resolve("rootfs"));
    Files.createDirectories(root.resolve("run/lock"));
    Files.createDirectories(root.resolve("var"));
    Files.createSymbolicLink(root.resolve("var/run"), Path.of("/run"));
    Files.createSymbolicLink(root.resolve("var/up"), Path.of("../../../.."));
    Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    Files.createFile(root.resolve("file"));
  }

  @Test
  void absoluteSymlinkTargetsStayInsideTheRoot() throws Exception {
    assertEquals(root.resolve("run/lock/x"), SecureJoin.join(root, Path.of("var/run/lock/x")));
  }

  @Test
  void dotDotStopsAtTheRoot() throws Exception {
    assertEquals(root.resolve("etc"), SecureJoin.join(root, Path.of("../../../etc")));
    assertEquals(root.resolve("etc"), SecureJoin.join(root, Path.of("/../etc")));
    assertEquals(root.resolve("x"), SecureJoin.join(root, Path.of("var/up/x")));
  }

  @Test
  void missingComponentsAreAppendedLexically() throws Exception {
    assertEquals(root.resolve("a/b/c"), SecureJoin.join(root, Path.of("a/b/c")));
    assertEquals(root.resolve("a/c"), SecureJoin.join(root, Path.of("a/b/../c")));
    assertEquals(root.resolve("file/x"), SecureJoin.join(root, Path.of("file/x")));
  }

  @Test
  void symlinkLoopsAreRefused() {
    assertThrows(UnsafeArchiveEntryException.class, () -> SecureJoin.join(root, Path.of("loop")));
  }

  @Test
  void cleanKeepsNamesRelative() {
    assertEquals(Path.of("etc/passwd"), SecureJoin.clean(Path.of("/../etc/./passwd")));
    assertEquals(Path.of(""), SecureJoin.clean(Path.of("./..")));
  }
}
