package dev.umoci.mtree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/** {@link PlainEntryLine} reads a line as the parser does, or leaves it to the parser. */
class PlainEntryLineTest {
  @TempDir Path tmp;

  private static final List<KeyVal> DEFAULTS =
      List.of(new KeyVal("type", "file"), new KeyVal("mode", "0644"), new KeyVal("optional", null));

  /** The parser's reading of {@code text} at {@code start}: keywords, or null when no entry. */
  private static Map<String, String> parsed(byte[] text, int start) {
    try {
      return MtreeSpec.parsedEntryAt(text, start, DEFAULTS, EntryPath.of("p")).keywords();
    } catch (MtreeFormatException e) {
      return null;
    }
  }

  @Test
  void randomLinesAreReadAsTheParserReadsThem() {
    String[] pieces = {
      " ",
      "\t",
      "\u000b",
      "=",
      "\\",
      "\\040",
      "\\q",
      "#",
      "/",
      ".",
      "..",
      "a",
      "size",
      "link",
      "type",
      "=dir",
      "=1",
      "x.y",
      "\r",
      "\u0000",
      "\u00e9",
      "mode=0755",
      " link=a\\040b",
      " link=t",
      " =v",
      " bare",
    };
    Random random = new Random(1205);
    int plain = 0;
    for (int n = 0; n < 30000; n++) {
      StringBuilder line = new StringBuilder();
      int parts = 1 + random.nextInt(10);
      for (int i = 0; i < parts; i++) {
        line.append(pieces[random.nextInt(pieces.length)]);
      }
      String prefix = random.nextBoolean() ? "" : "# before\n";
      byte[] text = (prefix + line + "\nnext size=1\n").getBytes(StandardCharsets.ISO_8859_1);
      int start = prefix.length();
      Map<String, String> fast = PlainEntryLine.keywords(text, start, DEFAULTS);
      if (fast == null) {
        continue;
      }
      plain++;
      Map<String, String> slow = parsed(text, start);
      if (slow == null || !List.copyOf(slow.entrySet()).equals(List.copyOf(fast.entrySet()))) {
        fail("line " + line + ": parser " + slow + ", plain reading " + fast);
      }
    }
    assertEquals(true, plain > 1000, "the plain reading was tried: " + plain);
  }

  @Test
  void everyEntryLineOfAWalkIsPlainAndReadAlike() throws Exception {
    Files.createDirectories(tmp.resolve("d/e"));
    Files.writeString(tmp.resolve("d/e/f"), "f");
    Files.writeString(tmp.resolve("d/with space"), "g");
    Files.createSymbolicLink(tmp.resolve("d/l"), Path.of("e/f"));
    byte[] text = MtreeWalker.builder().build().walk(tmp).toBytes();
    List<Integer> entryStarts = new ArrayList<>();
    MtreeParser.parse(
        text,
        "walk",
        (line, start, continued) -> {
          if (line instanceof SpecLine.Entry e && !new String(e.name()).contains(" ")) {
            entryStarts.add(start);
          }
        });
    assertEquals(true, entryStarts.size() >= 5);
    for (int start : entryStarts) {
      Map<String, String> fast = PlainEntryLine.keywords(text, start, DEFAULTS);
      assertNotNull(fast, "plain line at " + start);
      assertEquals(List.copyOf(parsed(text, start).entrySet()), List.copyOf(fast.entrySet()));
    }
  }
}
