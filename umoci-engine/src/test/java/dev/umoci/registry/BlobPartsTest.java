package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a blob is cut into parallel {@code Range} requests ({@link BlobFetch#starts}). */
class BlobPartsTest {
  @Test
  void partsCoverTheBlobWithoutGapsAndTheFirstIsHalfAsLongAsTheOthers() {
    for (long size : new long[] {16, 17, 1000, 99_000_001L, 103_809_024L}) {
      for (int parts = 2; parts <= 8; parts++) {
        long[] starts = BlobFetch.starts(size, parts);
        assertEquals(parts + 1, starts.length);
        assertEquals(0, starts[0]);
        assertEquals(size, starts[parts]);
        long first = starts[1];
        long other = starts[2] - starts[1];
        for (int i = 1; i < parts; i++) {
          long len = starts[i + 1] - starts[i];
          assertTrue(Math.abs(len - other) <= 1, size + "/" + parts + ": part " + i + " " + len);
        }
        assertTrue(first >= 1, "no empty first part");
        assertTrue(Math.abs(2 * first - other) <= 2 + other / parts, size + "/" + parts);
      }
    }
  }

  @Test
  void theFirstPartOfTheBenchmarksLargestLayerIsAQuarter() {
    long[] starts = BlobFetch.starts(100_000_000L, 2);
    assertEquals(25_000_000L, starts[1]);
    assertEquals(100_000_000L, starts[2]);
  }
}
