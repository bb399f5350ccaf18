package dev.umoci.mtree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.umoci.errors.MtreeFormatException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for the mtree parser and vis(3) decoding. The parser may only throw {@link
 * MtreeFormatException}, and {@link MtreeIndex} agrees with it; {@link Vis#decode} only its
 * documented {@link IllegalArgumentException}; and encoding then decoding any bytes gives them
 * back.
 */
class MtreeFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void mtreeParser(byte[] data) {
    try {
      MtreeSpec spec = MtreeSpec.parse(data, "fuzz");
      spec.entries();
      spec.byPath();
      spec.usedKeywords();
      MtreeSpec.parse(spec.toBytes(), "fuzz again");
    } catch (MtreeFormatException expected) {
      // malformed spec: the declared failure
    }
  }

  /** The one-pass index of any document gives what the full parse gives, or the same error. */
  @FuzzTest(maxDuration = "60s")
  void mtreeIndex(byte[] data) throws MtreeFormatException {
    MtreeIndexTest.assertSameAsParse(data);
  }

  @FuzzTest(maxDuration = "60s")
  void visDecode(byte[] data) {
    try {
      Vis.decode(new String(data, StandardCharsets.ISO_8859_1));
    } catch (IllegalArgumentException expected) {
      // bad escape: the documented failure
    }
    assertArrayEquals(data, Vis.decode(Vis.encode(data)));
  }
}
