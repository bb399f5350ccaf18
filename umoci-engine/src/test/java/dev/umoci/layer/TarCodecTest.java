package dev.umoci.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidImageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class TarCodecTest {
  static final byte[] CAP = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  static final byte[] BINARY = {0, (byte) 0xff, '\n', '=', 0, (byte) 0xc3, 0x28};

  static List<TarEntry> readAll(byte[] tar, List<byte[]> contents) throws IOException {
    List<TarEntry> out = new ArrayList<>();
    try (TarReader r = new TarReader(new ByteArrayInputStream(tar))) {
      TarEntry e;
      while ((e = r.next()) != null) {
        out.add(e);
        if (contents != null) {
          contents.add(r.content().readAllBytes());
        }
      }
    }
    return out;
  }

  static String longName() {
    return "d".repeat(120) + "/" + "f".repeat(90);
  }

  static TarBuilder sample() {
    byte[] rawName = {'r', 'a', 'w', (byte) 0xff, (byte) 0xfe, '\n', '\\', ' ', 'x'};
    return new TarBuilder()
        .dir("etc/")
        .mode(0755)
        .file("etc/passwd", "root:x:0:0\n")
        .owner(1000, 1001)
        .mode(04755)
        .xattr("security.capability", CAP)
        .xattr("user.bin", BINARY)
        .symlink("etc/link", "../x//y/")
        .hardlink("etc/hard", "etc/passwd")
        .charDevice("dev/null", 1, 3)
        .blockDevice("dev/sda", 8, 0)
        .fifo("run/fifo")
        .mode(01777)
        .file(longName(), "long")
        .symlink("l".repeat(150), "t".repeat(200))
        .file(rawName, "raw".getBytes(StandardCharsets.UTF_8))
        .file("ünïcödé/名前", "u")
        .file("big-ids", "i")
        .owner(3_000_000_000L, 2_100_000)
        .file("nanos", "n")
        .mtimeNanos(1_600_000_000_123_456_789L)
        .atimeNanos(1_500_000_000_5L);
  }

  @Test
  void writerOutputReadsBackIdentically() throws IOException {
    TarBuilder b = sample();
    List<byte[]> contents = new ArrayList<>();
    List<TarEntry> read = readAll(b.build(), contents);
    assertEquals(b.entries(), read);
    assertArrayEquals("root:x:0:0\n".getBytes(StandardCharsets.UTF_8), contents.get(1));
    assertArrayEquals(CAP, read.get(1).xattr("security.capability"));
    assertArrayEquals(BINARY, read.get(1).xattr("user.bin"));
  }

  @Test
  void outputIsDeterministicAndMinimal() throws IOException {
    assertArrayEquals(sample().build(), sample().build());
    byte[] simple = new TarBuilder().file("a", "hi").build();
    // ustar header + one data block + two zero blocks, no PAX header for a plain entry
    assertEquals(512 * 4, simple.length);
    assertEquals("ustar\0", new String(simple, 257, 6, StandardCharsets.US_ASCII));
    assertEquals("0000644\0", new String(simple, 100, 8, StandardCharsets.US_ASCII));
    assertEquals(' ', simple[155]);
    assertEquals(0, simple[154]);
  }

  @Test
  void longAsciiNameUsesUstarPrefixLikeGo() {
    String name = "p".repeat(60) + "/" + "n".repeat(80);
    byte[] tar = new TarBuilder().file(name, "x").build();
    assertEquals('0', tar[156]);
    assertEquals("n".repeat(80), new String(tar, 0, 80, StandardCharsets.US_ASCII));
    assertEquals("p".repeat(60), new String(tar, 345, 60, StandardCharsets.US_ASCII));
  }

  @Test
  void paxHeaderNamedLikeGoArchiveTar() {
    byte[] tar = new TarBuilder().file("dir/f", "x").xattr("user.a", "b").build();
    assertEquals('x', tar[156]);
    assertEquals("dir/PaxHeaders.0/f\0", new String(tar, 0, 19, StandardCharsets.US_ASCII));
    String record = new String(tar, 512, 25, StandardCharsets.US_ASCII);
    assertEquals("25 SCHILY.xattr.user.a=b\n", record);
    assertEquals('0', tar[1024 + 156]);
  }

  @Test
  void commonsCompressReadsOurOutput() throws IOException {
    TarBuilder b = sample();
    List<TarEntry> expected = b.entries();
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(new ByteArrayInputStream(b.build()), "UTF-8")) {
      for (TarEntry want : expected) {
        TarArchiveEntry got = in.getNextEntry();
        if (PathBytesUtf8.isUtf8(want.name())) {
          assertEquals(new String(want.name(), StandardCharsets.UTF_8), got.getName());
        }
        assertEquals(want.mode(), got.getMode() & 07777, got.getName());
        assertEquals(want.uid(), got.getLongUserId(), got.getName());
        assertEquals(want.gid(), got.getLongGroupId(), got.getName());
        assertEquals(want.size(), got.getSize(), got.getName());
        if (want.type() == TarEntry.Type.SYMLINK || want.type() == TarEntry.Type.HARDLINK) {
          assertEquals(new String(want.linkName(), StandardCharsets.UTF_8), got.getLinkName());
        }
        assertEquals(want.type() == TarEntry.Type.DIRECTORY, got.isDirectory());
        assertEquals(want.type() == TarEntry.Type.SYMLINK, got.isSymbolicLink());
        assertEquals(want.type() == TarEntry.Type.CHAR_DEVICE, got.isCharacterDevice());
        assertEquals(want.type() == TarEntry.Type.FIFO, got.isFIFO());
        if (want.type() == TarEntry.Type.BLOCK_DEVICE) {
          assertEquals(8, got.getDevMajor());
        }
      }
      assertNull(in.getNextEntry());
    }
  }

  @Test
  void readsCommonsCompressGnuAndPaxOutput() throws IOException {
    for (int mode :
        new int[] {TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.LONGFILE_POSIX}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, "UTF-8")) {
        out.setLongFileMode(mode);
        out.setBigNumberMode(
            mode == TarArchiveOutputStream.LONGFILE_GNU
                ? TarArchiveOutputStream.BIGNUMBER_STAR
                : TarArchiveOutputStream.BIGNUMBER_POSIX);
        TarArchiveEntry e = new TarArchiveEntry(longName());
        e.setSize(3);
        e.setUserId(3_000_000);
        e.setMode(0100600);
        out.putArchiveEntry(e);
        out.write("abc".getBytes(StandardCharsets.UTF_8));
        out.closeArchiveEntry();
        TarArchiveEntry l = new TarArchiveEntry("link", TarArchiveEntry.LF_SYMLINK);
        l.setLinkName("t".repeat(150));
        out.putArchiveEntry(l);
        out.closeArchiveEntry();
      }
      List<byte[]> contents = new ArrayList<>();
      List<TarEntry> read = readAll(bytes.toByteArray(), contents);
      assertEquals(2, read.size());
      assertArrayEquals(longName().getBytes(StandardCharsets.UTF_8), read.get(0).name());
      assertEquals(3_000_000, read.get(0).uid());
      assertEquals(0600, read.get(0).mode());
      assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), contents.get(0));
      assertArrayEquals("t".repeat(150).getBytes(StandardCharsets.UTF_8), read.get(1).linkName());
    }
  }

  @Test
  void badChecksumIsAClearError() {
    byte[] tar = new TarBuilder().file("etc/hosts", "x").build();
    tar[0] ^= 1;
    InvalidImageException e = assertThrows(InvalidImageException.class, () -> readAll(tar, null));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    assertTrue(e.getMessage().contains("dtc/hosts"), e.getMessage());
  }

  @Test
  void truncatedArchiveIsAnErrorNamingTheEntry() {
    byte[] tar = new TarBuilder().file("big", new byte[5000]).build();
    byte[] cut = Arrays.copyOf(tar, 1024);
    InvalidImageException e =
        assertThrows(InvalidImageException.class, () -> readAll(cut, new ArrayList<>()));
    assertTrue(e.getMessage().contains("big"), e.getMessage());
  }

  @Test
  void base256NumbersAndGlobalPaxHeaders() throws IOException {
    byte[] tar = new TarBuilder().file("a", "1").file("b", "2").build();
    // Put uid 5 in base-256 form into the first header and fix its checksum.
    Arrays.fill(tar, 108, 116, (byte) 0);
    tar[108] = (byte) 0x80;
    tar[115] = 5;
    fixChecksum(tar, 0);
    // Prepend a global header setting uid for all entries but overridden per entry.
    byte[] g = globalHeader("10 gid=77\n");
    byte[] all = new byte[g.length + tar.length];
    System.arraycopy(g, 0, all, 0, g.length);
    System.arraycopy(tar, 0, all, g.length, tar.length);
    List<TarEntry> read = readAll(all, null);
    assertEquals(5, read.get(0).uid());
    assertEquals(77, read.get(0).gid());
    assertEquals(77, read.get(1).gid());
  }

  @Test
  void libarchiveXattrsAreBase64AndUnknownTypesSkipped() throws IOException {
    String rec =
        "LIBARCHIVE.xattr.user.a%3Db=" + java.util.Base64.getEncoder().encodeToString(BINARY);
    byte[] x = paxRecord(rec);
    byte[] pax = specialHeader("x", x, 'x');
    byte[] odd = specialHeader("weird", new byte[700], 'Z');
    byte[] rest = new TarBuilder().file("f", "z").build();
    byte[] all = concat(odd, pax, rest);
    List<TarEntry> read = readAll(all, null);
    assertEquals(1, read.size());
    assertArrayEquals(BINARY, read.get(0).xattr("user.a=b"));
  }

  @Test
  void emptyXattrValueIsSkipped() throws IOException {
    byte[] pax = specialHeader("x", paxRecord("SCHILY.xattr.user.empty="), 'x');
    List<TarEntry> read = readAll(concat(pax, new TarBuilder().file("f", "z").build()), null);
    assertTrue(read.get(0).xattrs().isEmpty());
  }

  @Test
  void drainCountsTrailingBytes() throws IOException {
    byte[] tar = concat(new TarBuilder().file("f", "z").build(), new byte[9000]);
    try (TarReader r = new TarReader(new ByteArrayInputStream(tar))) {
      while (r.next() != null) {}
      assertEquals(9000, r.drain());
    }
  }

  static byte[] paxRecord(String kv) {
    int eq = kv.indexOf('=');
    return PaxRecords.format(
        kv.substring(0, eq), kv.substring(eq + 1).getBytes(StandardCharsets.UTF_8));
  }

  static byte[] globalHeader(String records) {
    return specialHeader("g", records.getBytes(StandardCharsets.UTF_8), 'g');
  }

  static byte[] specialHeader(String name, byte[] data, char type) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, h, 0, n.length);
    TarNumbers.formatOctal(h, 100, 8, 0644);
    TarNumbers.formatOctal(h, 108, 8, 0);
    TarNumbers.formatOctal(h, 116, 8, 0);
    TarNumbers.formatOctal(h, 124, 12, data.length);
    TarNumbers.formatOctal(h, 136, 12, 0);
    h[156] = (byte) type;
    System.arraycopy("ustar\00000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    fixChecksum(h, 0);
    int padded = (data.length + 511) / 512 * 512;
    byte[] out = new byte[512 + padded];
    System.arraycopy(h, 0, out, 0, 512);
    System.arraycopy(data, 0, out, 512, data.length);
    return out;
  }

  static void fixChecksum(byte[] tar, int off) {
    Arrays.fill(tar, off + 148, off + 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += tar[off + i] & 0xff;
    }
    TarNumbers.formatOctal(tar, off + 148, 7, sum);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** Strict UTF-8 check for names. */
  static final class PathBytesUtf8 {
    static boolean isUtf8(byte[] b) {
      return dev.umoci.sys.PathBytes.strictUtf8(b) != null;
    }
  }
}
