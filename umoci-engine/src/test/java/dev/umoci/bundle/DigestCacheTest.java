package dev.umoci.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.fs.FileStat;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestCacheTest {
  static FileStat stat(long mtime, long ctime) {
    return new FileStat(0100644, 0, 0, 5, 7, 1, 0, 1, 0, mtime, ctime);
  }

  @Test
  void racyDependsOnTimestampGranularity() {
    long now = 1_000_000L * 1_000_000_000L;
    assertTrue(DigestCache.racy(stat(now - 5_000_000, now - 5_000_000), now), "same tick");
    assertFalse(DigestCache.racy(stat(now - 500_000_000, now - 400_000_001), now));
    long wholeSecond = now - 2_000_000_000L;
    assertTrue(
        DigestCache.racy(stat(wholeSecond, wholeSecond), now), "coarse filesystem: 2 s is racy");
    assertFalse(DigestCache.racy(stat(now - 5_000_000_000L, now - 5_000_000_000L), now));
    assertFalse(
        DigestCache.racy(stat(wholeSecond, now - 300_000_001), now),
        "whole-second mtime from a tar, fine ctime");
  }

  @Test
  void strictParserRefusesAnythingOdd() throws IOException {
    DigestCache.Key key = DigestCache.Key.of(stat(4, 5));
    Map<String, DigestCache.Entry> two =
        Map.of(
            "etc/a", new DigestCache.Entry(key, true, 10, 0, new byte[32]),
            "etc", new DigestCache.Entry(key, false, 5, -1, null));
    DigestCache.Binding binding = DigestCache.Binding.of(new byte[20], "keywords=size");
    byte[] good = DigestCache.serialize(binding, two);
    DigestCache parsed = DigestCache.parse(good);
    assertEquals(2, parsed.loadedEntries());
    assertEquals(binding, parsed.binding());
    assertTrue(parsed.isBoundTo(new byte[20], "keywords=size"));
    assertFalse(parsed.isBoundTo(new byte[20], "keywords=type"));
    assertFalse(parsed.isBoundTo(new byte[21], "keywords=size"));
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x40;
      assertThrows(IllegalArgumentException.class, () -> DigestCache.parse(bad), "byte " + i);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> DigestCache.parse(Arrays.copyOf(good, good.length - 1)));
  }

  @Test
  void anUnboundCacheHoldsNoMtreeOffsets() throws IOException {
    DigestCache.Key key = DigestCache.Key.of(stat(4, 5));
    byte[] unbound =
        DigestCache.serialize(
            null, Map.of("a", new DigestCache.Entry(key, true, -1, -1, new byte[32])));
    assertEquals(null, DigestCache.parse(unbound).binding());
    byte[] located =
        DigestCache.serialize(null, Map.of("a", new DigestCache.Entry(key, true, 0, -1, null)));
    assertThrows(IllegalArgumentException.class, () -> DigestCache.parse(located));
  }
}
