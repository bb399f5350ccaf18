package dev.umoci.mtree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.umoci.errors.MtreeFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MtreeIndex} gives exactly what the full parse gives: same paths, same entries, errors. */
class MtreeIndexTest {
  @TempDir Path tmp;

  /**
   * Asserts that the index of {@code text} and {@link MtreeSpec#byPath()} agree, entry by entry.
   */
  static void assertSameAsParse(byte[] text) throws MtreeFormatException {
    MtreeSpec spec;
    try {
      spec = MtreeSpec.parse(text, "doc");
    } catch (MtreeFormatException e) {
      MtreeFormatException thrown =
          assertThrows(MtreeFormatException.class, () -> MtreeIndex.of(text, "doc", l -> {}));
      assertEquals(e.getMessage(), thrown.getMessage());
      return;
    }
    List<SpecLine> lines = new ArrayList<>();
    MtreeIndex index = MtreeIndex.of(text, "doc", lines::add);
    assertEquals(spec.lines(), lines, "every line is handed over, in order");
    Map<EntryPath, MtreeEntry> byPath = spec.byPath();
    assertEquals(byPath.size(), index.byKey().size());
    for (Map.Entry<EntryPath, MtreeEntry> e : byPath.entrySet()) {
      MtreeIndex.Line line = index.byKey().get(MtreeIndex.key(e.getKey()));
      assertNotNull(line, e.getKey()::toString);
      MtreeEntry entry = index.entry(line, e.getKey());
      assertEquals(e.getValue().path(), entry.path());
      assertEquals(
          List.copyOf(e.getValue().keywords().entrySet()),
          List.copyOf(entry.keywords().entrySet()),
          "same keywords in the same order for " + e.getKey());
    }
  }

  @Test
  void aWalkOfARealTreeIsIndexedLineByLine() throws Exception {
    Files.createDirectories(tmp.resolve("a/b c/d"));
    Files.writeString(tmp.resolve("a/b c/d/f"), "content");
    Files.writeString(tmp.resolve("a/g"), "more");
    Files.createSymbolicLink(tmp.resolve("a/link"), Path.of("b c/d/f"));
    Files.writeString(tmp.resolve("top"), "x");
    byte[] text = MtreeWalker.builder().build().walk(tmp).toBytes();
    assertSameAsParse(text);
    MtreeIndex index = MtreeIndex.of(text, "doc", l -> {});
    for (MtreeIndex.Line line : index.byKey().values()) {
      assertNull(line.parsed(), "one line each: nothing kept parsed");
    }
  }

  @Test
  void setUnsetFullPathsDuplicatesContinuationsAndCarriageReturns() throws Exception {
    String doc =
        """
        #mtree v2.0
        /set type=file nlink=1 mode=0664 uid=0 gid=0
        . size=4096 type=dir mode=0755
            a\\040b size=3 mode=0644
        sub type=dir
        /set type=file \\
          uid=7
            f size=1
            split size=2 \\
          mode=0600
        deeper type=dir
        ..
            g size=2
            f size=8
        ..
        /unset all
        top size=9\r
        ./full/path/x size=5 type=link link=t\\040x
        ../../escape size=1
        ..
        ..
        after size=3
        """;
    assertSameAsParse(doc.getBytes(StandardCharsets.ISO_8859_1));
    MtreeIndex index = MtreeIndex.of(doc.getBytes(StandardCharsets.ISO_8859_1), "doc", l -> {});
    assertNotNull(index.byKey().get("sub/f").parsed(), "under a continued /set: kept parsed");
    assertNull(index.byKey().get("top").parsed());
  }

  @Test
  void errorsAreThoseOfTheParse() throws Exception {
    for (String bad :
        List.of(
            ". type=dir\n  x =3\n",
            "# c\n. type=dir\n  bad\\q size=1\n",
            ". type=dir\n  x\\000y size=1\n",
            ". type=dir\n  l type=link link=a\\9\n",
            ". type=dir\n  continued size=1 \\\n  =5\n")) {
      byte[] text = bad.getBytes(StandardCharsets.ISO_8859_1);
      MtreeFormatException parsed =
          assertThrows(MtreeFormatException.class, () -> MtreeSpec.parse(text, "doc"));
      MtreeFormatException indexed =
          assertThrows(MtreeFormatException.class, () -> MtreeIndex.of(text, "doc", l -> {}));
      assertEquals(parsed.getMessage(), indexed.getMessage());
    }
  }

  /** Random documents made of the parts the parser knows; index and parse must always agree. */
  @Test
  void randomDocumentsGiveTheEntriesOfTheParse() throws Exception {
    String[] parts = {
      "/set type=file mode=0644\n",
      "/set uid=1 \\\n  gid=2\n",
      "/unset all\n",
      "..\n",
      "# comment\n",
      "\n",
      "   \n",
      "d type=dir\n",
      "e type=dir mode=0700\n",
      "f size=1\n",
      "f size=2 mode=0600\n",
      "  g\\040h size=3\n",
      "x/y/z size=4\n",
      "./x/../w size=5\n",
      "k size=6 \\\n  uid=9\n",
      "r size=7\r\n",
      "/other command\n",
      "bare optional\n",
      ". type=dir\n",
    };
    Random random = new Random(20261205);
    for (int doc = 0; doc < 2000; doc++) {
      StringBuilder text = new StringBuilder();
      int n = 1 + random.nextInt(30);
      for (int i = 0; i < n; i++) {
        text.append(parts[random.nextInt(parts.length)]);
      }
      try {
        assertSameAsParse(text.toString().getBytes(StandardCharsets.ISO_8859_1));
      } catch (AssertionError e) {
        fail("document:\n" + text, e);
      }
    }
  }

  @Test
  void anIndexOfAParsedSpecKeepsItsEntries() throws Exception {
    byte[] text = ". type=dir\n  f size=1\n..\n".getBytes(StandardCharsets.ISO_8859_1);
    MtreeSpec spec = MtreeSpec.parse(text, "doc");
    MtreeIndex index = MtreeIndex.of(spec);
    assertEquals(spec.byPath().size(), index.byKey().size());
    MtreeIndex.Line f = index.byKey().get("f");
    assertEquals(spec.get(EntryPath.of("f")), index.entry(f, EntryPath.of("f")));
  }
}
