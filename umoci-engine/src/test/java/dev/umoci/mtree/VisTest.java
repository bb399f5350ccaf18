package dev.umoci.mtree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VisTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void encodesLikeGoMtree() {
    assertEquals("a\\040b", Vis.encode(utf8("a b")));
    assertEquals("new\\012line", Vis.encode(utf8("new\nline")));
    assertEquals("tab\\011", Vis.encode(utf8("tab\t")));
    assertEquals("back\\\\slash", Vis.encode(utf8("back\\slash")));
    assertEquals("\\043\\052\\077\\133]", Vis.encode(utf8("#*?[]")));
    assertEquals("\\303\\274", Vis.encode(utf8("ü")));
    assertEquals("\\377\\000\\177", Vis.encode(new byte[] {(byte) 0xff, 0, 0x7f}));
    assertEquals(
        "plain-name_1.txt~!$%&'()+,;<=>@^`{|}\"",
        Vis.encode(utf8("plain-name_1.txt~!$%&'()+,;<=>@^`{|}\"")));
  }

  @Test
  void roundTripsEveryByteAndAwkwardNames() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    String encoded = Vis.encode(all);
    assertTrue(encoded.chars().allMatch(c -> c > 0x20 && c < 0x7f), encoded);
    assertArrayEquals(all, Vis.decode(encoded));
    for (String s :
        new String[] {"a b", "x\ny", "t\tt", "b\\s", "#c", "*", "?", "[x]", "日本語", "ünï", "\\\\"}) {
      assertArrayEquals(utf8(s), Vis.decode(Vis.encode(utf8(s))), s);
    }
    byte[] notUtf8 = {'r', (byte) 0xff, (byte) 0xfe, (byte) 0xc3};
    assertArrayEquals(notUtf8, Vis.decode(Vis.encode(notUtf8)));
  }

  @Test
  void decodesOtherEscapeStylesGoMtreeAccepts() {
    assertArrayEquals(utf8("a b"), Vis.decode("a\\sb"));
    assertArrayEquals(utf8("\n\t\r\f\u000b\u0007\b\u001b"), Vis.decode("\\n\\t\\r\\f\\v\\a\\b\\E"));
    assertArrayEquals(new byte[] {'A', 7}, Vis.decode("\\x41\\7"));
    assertArrayEquals(
        new byte[] {1, 0x7f, (byte) 0x81, (byte) 0xc1}, Vis.decode("\\^A\\^?\\M^A\\M-A"));
    assertArrayEquals(utf8("ab\"c"), Vis.decode("a\\$b\\\"c"));
    assertArrayEquals(new byte[] {'\n', '5'}, Vis.decode("\\0125"));
  }

  @Test
  void rejectsBadEscapes() {
    assertThrows(IllegalArgumentException.class, () -> Vis.decode("trailing\\"));
    assertThrows(IllegalArgumentException.class, () -> Vis.decode("\\777"));
    assertThrows(IllegalArgumentException.class, () -> Vis.decode("\\xZ1"));
    assertThrows(IllegalArgumentException.class, () -> Vis.decode("\\q"));
  }

  @Test
  void quotesPathsLikeGo() {
    assertEquals("\"a b\"", EntryPath.of("a b").quoted());
    assertEquals("\"new\\nline\"", EntryPath.of("new\nline").quoted());
    assertEquals("\"ünï\"", EntryPath.of("ünï").quoted());
    assertEquals(
        "\"r\\xff\\\\\\\"\"", EntryPath.of(new byte[] {'r', (byte) 0xff, '\\', '"'}).quoted());
  }
}
