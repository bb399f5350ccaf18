package dev.umoci.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PathBytesTextTest {
  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void textAndOfTextAreInverseForAnyBytes() {
    for (byte[] b :
        new byte[][] {
          latin1("plain"),
          "ünï 😀".getBytes(StandardCharsets.UTF_8),
          latin1("lat\u00fc"),
          latin1("\u00c3"),
          latin1("mixed \u00c3\u00bc and \u00fc and \u00ed\u00a0\u0080"),
          latin1("\u00f0\u009f\u0098"), // a truncated 4-byte sequence
        }) {
      assertArrayEquals(b, PathBytes.ofText(PathBytes.text(b)), PathBytes.escape(b));
    }
  }

  @Test
  void unicodeTextIsUtf8AndInvalidBytesAreEscapedOneByOne() {
    assertArrayEquals("ünï😀".getBytes(StandardCharsets.UTF_8), PathBytes.ofText("ünï😀"));
    assertEquals("lat\uDCFC", PathBytes.text(latin1("lat\u00fc")));
    assertEquals("ü", PathBytes.text("ü".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void argumentsAreRecoveredFromTheCommandLineBytes() {
    byte[] cmdline = latin1("java\0-jar\0umoci.jar\0insert\0/src/\u00fc\0/d/\u00c3\u00a9\0");
    String[] asciiLauncher = {"insert", "/src/\uFFFD", "/d/\uFFFD\uFFFD"};
    String[] recovered =
        ProcessArguments.recover(asciiLauncher, cmdline, StandardCharsets.US_ASCII);
    assertEquals("/src/\uDCFC", recovered[1]);
    assertEquals("/d/é", recovered[2]);
    assertArrayEquals(latin1("/src/\u00fc"), PathBytes.ofText(recovered[1]));
    String[] questionMarks = {"insert", "/src/?", "/d/??"};
    assertEquals(
        "/d/é", ProcessArguments.recover(questionMarks, cmdline, StandardCharsets.US_ASCII)[2]);
    String[] latin1Launcher = {"insert", "/src/\u00fc", "/d/\u00c3\u00a9"};
    assertEquals(
        "/d/é", ProcessArguments.recover(latin1Launcher, cmdline, StandardCharsets.ISO_8859_1)[2]);
  }

  @Test
  void aCommandLineThatDoesNotMatchIsNotUsed() {
    byte[] cmdline = latin1("java\0Main\0a\0b\0");
    String[] args = {"a", "c"};
    assertSame(args, ProcessArguments.recover(args, cmdline, StandardCharsets.UTF_8));
    String[] tooMany = {"x", "java", "Main", "a", "b"};
    assertSame(tooMany, ProcessArguments.recover(tooMany, cmdline, StandardCharsets.UTF_8));
  }

  private static String cleaned(String name) {
    StringBuilder out = new StringBuilder();
    for (byte[] part : PathBytes.cleanComponents(latin1(name))) {
      out.append('[').append(new String(part, StandardCharsets.ISO_8859_1)).append(']');
    }
    return out.toString();
  }

  @Test
  void cleaningIsLexicalAndStopsAtTheTop() {
    assertEquals("[a][b]", cleaned("//a/./b/"));
    assertEquals("[etc][passwd]", cleaned("/../../etc/./passwd"));
    assertEquals("[b]", cleaned("a/../b"));
    assertEquals("", cleaned("./.."));
    assertEquals("", cleaned(""));
    assertEquals("[...][.x][\u00fc]", cleaned("/.../.x/\u00fc"));
  }
}
