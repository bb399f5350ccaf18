package dev.umoci.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.fs.FileStat;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    byte[] good = DigestCacheFormat.serialize(binding, two);
    DigestCache parsed = DigestCacheFormat.parse(good);
    assertEquals(2, parsed.loadedEntries());
    assertEquals(binding, parsed.binding());
    assertTrue(parsed.isBoundTo(new byte[20], "keywords=size"));
    assertFalse(parsed.isBoundTo(new byte[20], "keywords=type"));
    assertFalse(parsed.isBoundTo(new byte[21], "keywords=size"));
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x40;
      assertThrows(IllegalArgumentException.class, () -> DigestCacheFormat.parse(bad), "byte " + i);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> DigestCacheFormat.parse(Arrays.copyOf(good, good.length - 1)));
  }

  @Test
  void anUnboundCacheHoldsNoMtreeOffsets() throws IOException {
    DigestCache.Key key = DigestCache.Key.of(stat(4, 5));
    byte[] unbound =
        DigestCacheFormat.serialize(
            null, Map.of("a", new DigestCache.Entry(key, true, -1, -1, new byte[32])));
    assertEquals(null, DigestCacheFormat.parse(unbound).binding());
    byte[] located =
        DigestCacheFormat.serialize(
            null, Map.of("a", new DigestCache.Entry(key, true, 0, -1, null)));
    assertThrows(IllegalArgumentException.class, () -> DigestCacheFormat.parse(located));
  }

  /** {@code body} (a cache without its checksum) with a correct CRC-32 appended. */
  private static byte[] withCrc(byte[] body) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(body);
    return java.nio.ByteBuffer.allocate(body.length + 4)
        .put(body)
        .putInt((int) crc.getValue())
        .array();
  }

  /** A copy of the checksum-less {@code body} with {@code value} written at {@code offset}. */
  private static byte[] patch(byte[] body, int offset, long value, int width) {
    byte[] out = body.clone();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out);
    switch (width) {
      case 1 -> b.put(offset, (byte) value);
      case 4 -> b.putInt(offset, (int) value);
      default -> b.putLong(offset, value);
    }
    return out;
  }

  private static void refused(byte[] body, String why) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DigestCacheFormat.parse(withCrc(body)), why);
    assertTrue(e.getMessage().contains(why), e.getMessage() + " (wanted: " + why + ")");
  }

  /**
   * Each structural check on its own: the input carries a correct checksum, so only the check under
   * test can refuse it (a bit flip alone is always caught by the CRC first).
   */
  @Test
  void structuralChecksRefuseDamageThatTheChecksumMisses() throws IOException {
    DigestCache.Key key = DigestCache.Key.of(stat(4, 5));
    DigestCache.Binding binding = DigestCache.Binding.of(new byte[20], "k");
    byte[] good =
        DigestCacheFormat.serialize(
            binding,
            Map.of(
                "a", new DigestCache.Entry(key, true, 3, -1, null),
                "b", new DigestCache.Entry(key, false, 7, 3, null)));
    byte[] body = Arrays.copyOf(good, good.length - 4);
    assertEquals(
        2, DigestCacheFormat.parse(withCrc(body)).loadedEntries(), "the re-checksummed original");

    // Layout: magic 19, version @19, mtree length @23, crc @31, context length @35, "k" @39,
    // count @40, first entry @44: path length, "a" @48, flags @49, mode @50, uid, gid, nlink,
    // dev @66, ino @74, size @82, mtime @90, ctime @98, line @106, set line @110; next @114.
    refused(patch(body, 0, 'X', 1), "not a digest cache");
    refused(patch(body, 19, 3, 4), "unsupported version 3");
    refused(patch(body, 23, -2, 8), "bad mtree length -2");
    refused(patch(body, 35, 1 << 20, 4), "bad context length");
    refused(patch(body, 40, 1 << 20, 4), "bad entry count");
    refused(patch(body, 44, 0, 4), "bad path length 0");
    refused(patch(body, 114 + 4, 'a', 1), "entries not sorted or not unique");
    refused(patch(body, 49, 4, 1), "bad flags 4");
    refused(patch(body, 82, -1, 8), "negative size");
    refused(patch(body, 106, 20, 4), "bad mtree offsets for entry 0");
    refused(patch(body, 110, -2, 4), "bad mtree offsets for entry 0");
    byte[] trailing = Arrays.copyOf(body, body.length + 1);
    refused(trailing, "trailing bytes after 2 entries");
  }

  @Test
  void pathKeysAreThoseOfTheRelativePath() {
    for (String[] c :
        new String[][] {
          {"/b/rootfs", "/b/rootfs/etc/passwd"},
          {"/b/rootfs", "/b/rootfs/x"},
          {"/b/rootfs", "/b/rootfs2/x"},
          {"/b/rootfs", "/b/rootfs"},
          {"/", "/etc/passwd"},
          {"b/rootfs", "b/rootfs/usr/lib/a b"},
          {"/b/./rootfs", "/b/./rootfs/a/c"},
        }) {
      Path root = Path.of(c[0]);
      Path file = Path.of(c[1]);
      assertEquals(
          new String(PathBytes.of(root.relativize(file)), StandardCharsets.ISO_8859_1),
          DigestCache.pathKey(root, file),
          c[1] + " under " + c[0]);
    }
    Path root = Path.of("/b/rootfs");
    Path latin =
        PathBytes.fromBytes(
            new byte[] {'/', 'b', '/', 'r', 'o', 'o', 't', 'f', 's', '/', (byte) 0xe9});
    assertEquals("\u00e9", DigestCache.pathKey(root, latin));
  }
}
