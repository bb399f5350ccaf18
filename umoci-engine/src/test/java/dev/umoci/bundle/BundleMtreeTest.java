package dev.umoci.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidBundleException;
import dev.umoci.mtree.EntryPath;
import dev.umoci.mtree.MtreeEntry;
import dev.umoci.mtree.MtreeIndex;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.mtree.MtreeWalker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BundleMtree#indexComplete} (one pass, no parsed document kept) accepts and refuses exactly
 * what {@link BundleMtree#parseComplete} does, with the same message, and indexes its entries.
 */
class BundleMtreeTest {
  @TempDir Path tmp;

  /** Both readings of {@code text}: the same failure, or the same entries. */
  private static void assertSameReading(byte[] text) throws IOException {
    Path file = Path.of("/bundle/sha256_x.mtree");
    MtreeSpec spec;
    try {
      spec = BundleMtree.parseComplete(file, text);
    } catch (InvalidBundleException e) {
      InvalidBundleException indexed = null;
      try {
        BundleMtree.indexComplete(file, text);
      } catch (InvalidBundleException thrown) {
        indexed = thrown;
      }
      assertNotNull(indexed, () -> "index accepted what the parse refused: " + e.getMessage());
      assertEquals(e.getMessage(), indexed.getMessage());
      return;
    }
    MtreeIndex index = BundleMtree.indexComplete(file, text);
    assertEquals(spec.byPath().size(), index.byKey().size());
    for (Map.Entry<EntryPath, MtreeEntry> e : spec.byPath().entrySet()) {
      assertEquals(
          e.getValue(), index.entry(index.byKey().get(MtreeIndex.key(e.getKey())), e.getKey()));
    }
  }

  @Test
  void everyCutOfAWalkIsReadAlikeByTheIndexAndTheParse() throws IOException {
    Files.createDirectories(tmp.resolve("etc/sub"));
    Files.writeString(tmp.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    Files.writeString(tmp.resolve("etc/sub/f"), "f");
    Files.createDirectories(tmp.resolve("usr/lib"));
    Files.writeString(tmp.resolve("usr/lib/x"), "x");
    byte[] text = MtreeWalker.builder().build().walk(tmp).toBytes();
    assertSameReading(text);
    int refused = 0;
    for (int cut = 1; cut < text.length; cut++) {
      if (text[cut - 1] == '\n') {
        byte[] part = Arrays.copyOf(text, cut);
        assertSameReading(part);
        try {
          BundleMtree.parseComplete(Path.of("x"), part);
        } catch (InvalidBundleException e) {
          refused++;
        }
      }
    }
    assertTrue(refused > 5, "cut documents are refused: " + refused);
  }

  @Test
  void damagedShapesAreRefusedWithTheSameMessage() throws IOException {
    for (String doc :
        List.of(
            "f size=1\n",
            ". type=dir\n..\n..\n",
            ". type=dir\n..\nafter size=1\n",
            "# only a comment\n",
            ". type=dir\n  sub type=dir\n",
            "/set type=dir\n. size=1\n  d size=2\n..\n..\n",
            ". type=dir\n  bad\\q size=1\n..\n..\n..\n",
            "\u0000\u0001garbage =\n/set\n")) {
      assertSameReading(doc.getBytes(StandardCharsets.ISO_8859_1));
    }
  }
}
