package dev.umoci.layer;

import static dev.umoci.layer.TarCodecTest.concat;
import static dev.umoci.layer.TarCodecTest.paxRecord;
import static dev.umoci.layer.TarCodecTest.specialHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.LimitExceededException;
import dev.umoci.oci.spec.InputLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The input limits of {@link TarReader} (issue 12 §4) and PAX header semantics under them. */
class TarLimitsTest {
  static final InputLimits DEFAULTS = InputLimits.defaults();

  static List<TarEntry> read(byte[] tar, InputLimits limits) throws IOException {
    return read(new ByteArrayInputStream(tar), limits);
  }

  static List<TarEntry> read(InputStream tar, InputLimits limits) throws IOException {
    List<TarEntry> out = new ArrayList<>();
    try (TarReader r = new TarReader(tar, limits)) {
      TarEntry e;
      while ((e = r.next()) != null) {
        r.content().transferTo(OutputStream.nullOutputStream());
        out.add(e);
      }
    }
    return out;
  }

  static byte[] pax(String... records) {
    List<byte[]> parts = new ArrayList<>();
    for (String r : records) {
      parts.add(paxRecord(r));
    }
    return specialHeader("x", concat(parts.toArray(byte[][]::new)), 'x');
  }

  @Test
  void consecutivePaxHeadersReplaceEachOther() throws IOException {
    byte[] tar =
        concat(
            pax("uid=5", "path=first"),
            pax("gid=7"),
            new TarBuilder().file("plain", "x").file("next", "y").build());
    List<TarEntry> read = read(tar, DEFAULTS);
    assertEquals("plain", new String(read.get(0).name(), StandardCharsets.UTF_8));
    assertEquals(0, read.get(0).uid(), "the first x header was replaced by the second");
    assertEquals(7, read.get(0).gid());
    assertEquals(0, read.get(1).gid(), "an x header applies to one entry only");
  }

  @Test
  void manyConsecutivePaxHeadersDoNotAccumulate() throws IOException {
    // 2,000 headers of distinct records: merged, they would make one entry carry 2,000 xattrs.
    List<byte[]> parts = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      parts.add(pax("SCHILY.xattr.user.k" + i + "=v"));
    }
    parts.add(new TarBuilder().file("f", "z").build());
    List<TarEntry> read = read(concat(parts.toArray(byte[][]::new)), DEFAULTS);
    assertEquals(1, read.get(0).xattrs().size());
  }

  @Test
  void paxHeaderSizeIsBounded() {
    InputLimits small = new InputLimits(1 << 20, 1024, 16 << 10, 4096, 4096, 1L << 30, 1000);
    byte[] big = pax("comment=" + "a".repeat(2000));
    byte[] tar = concat(big, new TarBuilder().file("f", "z").build());
    LimitExceededException e = assertThrows(LimitExceededException.class, () -> read(tar, small));
    assertTrue(e.getMessage().contains(InputLimits.PAX), e.getMessage());
  }

  @Test
  void globalRecordsInForceAreBounded() throws IOException {
    InputLimits small = new InputLimits(1 << 20, 1 << 20, 100, 4096, 4096, 1L << 30, 1000);
    byte[] g1 = specialHeader("g", paxRecord("comment=" + "a".repeat(60)), 'g');
    byte[] reset = specialHeader("g", paxRecord("comment="), 'g');
    byte[] g2 = specialHeader("g", paxRecord("other=" + "b".repeat(60)), 'g');
    byte[] file = new TarBuilder().file("f", "z").build();
    // Each record fits; a deleted record no longer counts.
    assertEquals(1, read(concat(g1, reset, g2, file), small).size());
    LimitExceededException e =
        assertThrows(LimitExceededException.class, () -> read(concat(g1, g2, file), small));
    assertTrue(e.getMessage().contains(InputLimits.GLOBAL_PAX), e.getMessage());
  }

  @Test
  void nameAndLinkLengthsAreBounded() {
    String longName = "d/".repeat(3000) + "f";
    byte[] named = concat(pax("path=" + longName), new TarBuilder().file("f", "z").build());
    LimitExceededException e =
        assertThrows(LimitExceededException.class, () -> read(named, DEFAULTS));
    assertTrue(e.getMessage().contains(InputLimits.NAME), e.getMessage());

    byte[] linked =
        concat(pax("linkpath=" + "t".repeat(5000)), new TarBuilder().symlink("l", "t").build());
    e = assertThrows(LimitExceededException.class, () -> read(linked, DEFAULTS));
    assertTrue(e.getMessage().contains(InputLimits.LINK), e.getMessage());
  }

  @Test
  void entryCountIsBounded() throws IOException {
    TarBuilder b = new TarBuilder();
    for (int i = 0; i < 11; i++) {
      b.file("f" + i, "");
    }
    byte[] tar = b.build();
    assertEquals(11, read(tar, DEFAULTS.withMaxLayerEntries(11)).size());
    LimitExceededException e =
        assertThrows(
            LimitExceededException.class, () -> read(tar, DEFAULTS.withMaxLayerEntries(10)));
    assertTrue(e.getMessage().contains("--max-layer-entries"), e.getMessage());
  }

  @Test
  void expandedSizeIsCheckedAtTheHeaderBeforeContentIsRead() {
    // A header claiming 4 GiB of content, followed by nothing: refused at the header, not after
    // reading (or failing to read) the content.
    byte[] header = specialHeader("bomb", new byte[0], '0');
    TarNumbers.formatOctal(header, 124, 12, 4L << 30);
    TarCodecTest.fixChecksum(header, 0);
    LimitExceededException e =
        assertThrows(
            LimitExceededException.class, () -> read(header, DEFAULTS.withMaxLayerBytes(1L << 30)));
    assertTrue(e.getMessage().contains(InputLimits.LAYER_SIZE), e.getMessage());
    assertTrue(e.getMessage().contains("--max-layer-size"), e.getMessage());
  }

  @Test
  void expandedSizeCountsHeadersToo() throws IOException {
    TarBuilder b = new TarBuilder();
    for (int i = 0; i < 100; i++) {
      b.dir("d" + i + "/");
    }
    byte[] tar = b.build(); // 100 headers + 2 end-of-archive blocks = 102 blocks
    assertEquals(100, read(tar, DEFAULTS.withMaxLayerBytes(102 * 512)).size());
    assertThrows(
        LimitExceededException.class, () -> read(tar, DEFAULTS.withMaxLayerBytes(101 * 512)));
  }

  @Test
  void sizesParseWithSuffixes() throws Exception {
    assertEquals(4L << 20, InputLimits.parseSize("4M", "x"));
    assertEquals(32L << 30, InputLimits.parseSize("32GiB", "x"));
    assertEquals(1000, InputLimits.parseSize("1000", "x"));
    assertEquals(64L << 10, InputLimits.parseSize("64k", "x"));
    assertThrows(
        dev.umoci.errors.InvalidArgumentException.class, () -> InputLimits.parseSize("0", "x"));
    assertThrows(
        dev.umoci.errors.InvalidArgumentException.class, () -> InputLimits.parseSize("-1G", "x"));
    assertThrows(
        dev.umoci.errors.InvalidArgumentException.class,
        () -> InputLimits.parseSize("9999999T", "x"));
    assertThrows(
        dev.umoci.errors.InvalidArgumentException.class, () -> InputLimits.parseSize("lots", "x"));
  }
}
