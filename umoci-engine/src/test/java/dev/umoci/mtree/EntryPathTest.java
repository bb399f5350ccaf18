package dev.umoci.mtree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryPathTest {
  @Test
  void cleansAndConfinesLikeGoMtreeCleanPath() {
    assertEquals("a/b", EntryPath.of("./a//b/").toString());
    assertEquals("b", EntryPath.of("../../a/../b").toString());
    assertEquals(".", EntryPath.of("/").toString());
    assertEquals(".", EntryPath.of("").toString());
    assertTrue(EntryPath.of("a/..").isRoot());
    assertEquals("etc/passwd", EntryPath.of("/etc/passwd").toString());
  }

  @Test
  void navigatesAndOrdersByBytes() {
    EntryPath p = EntryPath.of("usr/lib/x");
    assertEquals("x", new String(p.fileName()));
    assertEquals(EntryPath.of("usr/lib"), p.parent());
    assertEquals(EntryPath.ROOT, EntryPath.of("usr").parent());
    assertTrue(p.isWithin(EntryPath.of("usr")));
    assertFalse(EntryPath.of("usrx").isWithin(EntryPath.of("usr")));
    List<EntryPath> l =
        new ArrayList<>(
            List.of(EntryPath.of("b"), EntryPath.of("ü"), EntryPath.of("a/b"), EntryPath.of("a")));
    l.sort(null);
    assertEquals("[a, a/b, b, ü]", l.toString());
  }
}
