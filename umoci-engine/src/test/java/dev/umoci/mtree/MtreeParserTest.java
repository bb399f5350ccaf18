package dev.umoci.mtree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.MtreeFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MtreeParserTest {
  private static MtreeSpec parse(String text) throws MtreeFormatException {
    return MtreeSpec.parse(text.getBytes(StandardCharsets.ISO_8859_1), "test.mtree");
  }

  @Test
  void resolvesRelativeEntriesSetUnsetAndDotDot() throws Exception {
    MtreeSpec spec =
        parse(
            """
            #mtree v2.0
            #      keywords: size,type,uid

            # .
            /set type=file nlink=1 mode=0664 uid=0 gid=0
            . size=4096 type=dir mode=0755
                a\\040b size=3 mode=0644
            sub type=dir
            /set type=file uid=7
                f size=1
            deeper type=dir
            ..
                g size=2
            ..
            /unset all
            top size=9
            ./full/path/x size=5 type=link link=t\\040x
            """);
    Map<EntryPath, MtreeEntry> e = spec.byPath();
    assertEquals(
        List.of(".", "a b", "sub", "sub/f", "sub/deeper", "sub/g", "top", "full/path/x"),
        spec.paths().stream().map(EntryPath::toString).toList());
    MtreeEntry ab = e.get(EntryPath.of("a b"));
    assertEquals(
        Map.of("type", "file", "nlink", "1", "mode", "0644", "uid", "0", "gid", "0", "size", "3"),
        ab.keywords());
    // go-mtree: /set replaces the defaults
    assertEquals(
        Map.of("type", "file", "uid", "7", "size", "1"), e.get(EntryPath.of("sub/f")).keywords());
    assertEquals(Map.of("size", "9"), e.get(EntryPath.of("top")).keywords());
    MtreeEntry full = e.get(EntryPath.of("full/path/x"));
    assertArrayEquals("t x".getBytes(), full.linkTarget());
    assertEquals(
        List.of("type", "nlink", "mode", "uid", "gid", "size", "link"), spec.usedKeywords());
  }

  @Test
  void keepsCommentsBlanksAndBareWordsAndJoinsContinuationLines() throws Exception {
    MtreeSpec spec =
        parse("  # indented comment\n\n/set type=file \\\n  uid=0\nf size=1 \\\n ignore\r\n");
    assertTrue(spec.lines().get(0) instanceof SpecLine.Comment);
    assertTrue(spec.lines().get(1) instanceof SpecLine.Blank);
    SpecLine.Special set = (SpecLine.Special) spec.lines().get(2);
    assertEquals(List.of(new KeyVal("type", "file"), new KeyVal("uid", "0")), set.keyVals());
    SpecLine.Entry f = (SpecLine.Entry) spec.lines().get(3);
    assertFalse(f.full());
    assertNull(f.keyVals().get(1).value());
    assertEquals(
        Map.of("type", "file", "uid", "0", "size", "1"), spec.get(EntryPath.of("f")).keywords());
    assertEquals(4, spec.lines().size());
  }

  @Test
  void malformedLinesGiveOneLineErrorsWithTheLineNumber() {
    MtreeFormatException bad =
        assertThrows(MtreeFormatException.class, () -> parse("# c\n. type=dir\n  bad\\q size=1\n"));
    assertEquals(
        "invalid mtree spec test.mtree line 3: name: invalid vis escape in \"bad\\q\": unknown escape \\q",
        bad.getMessage());
    MtreeFormatException empty =
        assertThrows(MtreeFormatException.class, () -> parse("a size=1\nb =3\n"));
    assertTrue(
        empty.getMessage().startsWith("invalid mtree spec test.mtree line 2: "),
        empty.getMessage());
    assertFalse(empty.getMessage().contains("\n"));
    assertThrows(MtreeFormatException.class, () -> parse("x\\000y size=1\n"));
    assertThrows(MtreeFormatException.class, () -> parse("l type=link link=a\\9\n"));
  }

  @Test
  void writesBackWhatItRead() throws Exception {
    String text =
        "#mtree\n\n# .\n/set type=file uid=0\n. type=dir\n    f\\040g size=1\nd type=dir\n    x size=2\n..\n..\n/unset \n";
    assertEquals(text, new String(parse(text).toBytes(), StandardCharsets.ISO_8859_1));
  }
}
