package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.layer.Compression;
import dev.umoci.layer.ExtractOptions;
import dev.umoci.layer.LayerBlobUnpacker;
import dev.umoci.layer.TarBuilder;
import dev.umoci.mtree.ContentDigester;
import dev.umoci.mtree.DigestKind;
import dev.umoci.mtree.MtreeWalker;
import dev.umoci.mtree.RecordedContentDigester;
import dev.umoci.mtree.SpecHeader;
import dev.umoci.oci.spec.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mtree written after extraction uses SHA-256 sums recorded while the files were written; it
 * must be byte-identical to a walk that reads and hashes every file.
 */
class RecordedDigestsTest {
  static final SpecHeader HEADER =
      new SpecHeader("tester", "machine", "/rootfs".getBytes(StandardCharsets.UTF_8), "date");

  @TempDir Path tmp;

  private static void apply(Path rootfs, byte[] tar, Compression c, RecordedContentDigester d)
      throws Exception {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    try (OutputStream out = c.compress(blob)) {
      out.write(tar);
    }
    LayerBlobUnpacker.unpackLayer(
        new ByteArrayInputStream(blob.toByteArray()),
        c,
        Digest.sha256(blob.toByteArray()),
        Digest.sha256(tar),
        rootfs,
        ExtractOptions.defaults(),
        d::record);
  }

  @Test
  void recordedDigestsGiveTheSameMtreeBytesAsHashing() throws Exception {
    Path rootfs = Files.createDirectory(tmp.resolve("rootfs"));
    RecordedContentDigester recorded = new RecordedContentDigester(ContentDigester.streaming());
    byte[] big = new byte[3 << 20];
    new Random(7).nextBytes(big);
    TarBuilder first = new TarBuilder().dir("d/").file("d/big", big).file("d/empty", "");
    for (int i = 0; i < 200; i++) {
      first.file("d/f" + i, "content " + i);
    }
    first.hardlink("d/big-link", "d/big").file("x", "old x");
    apply(rootfs, first.build(), Compression.GZIP, recorded);
    // Second layer: delete files (freeing inodes), create new ones (which may reuse them, with
    // the same size but other content), replace a hard-linked file.
    TarBuilder second = new TarBuilder();
    for (int i = 0; i < 200; i += 2) {
      second.whiteout("d/f" + i);
    }
    for (int i = 0; i < 100; i++) {
      second.file("d/g" + i, "CONTENT " + i);
    }
    second.file("d/big", "small now").file("x", "new x");
    apply(rootfs, second.build(), Compression.ZSTD, recorded);

    byte[] fromRecords =
        MtreeWalker.builder().header(HEADER).digester(recorded).build().walk(rootfs).toBytes();
    byte[] fromHashing =
        MtreeWalker.builder()
            .header(HEADER)
            .digester(ContentDigester.streaming())
            .build()
            .walk(rootfs)
            .toBytes();
    assertArrayEquals(fromHashing, fromRecords);

    Set<Long> inodes = new HashSet<>();
    try (var files = Files.walk(rootfs)) {
      for (Path p : files.toList()) {
        FileStat st = PosixFs.host().lstat(p);
        if (st.isRegularFile()) {
          inodes.add(st.ino());
        }
      }
    }
    assertEquals(0, recorded.misses(), "every file's digest came from extraction");
    assertTrue(recorded.hits() >= inodes.size(), "hits " + recorded.hits());
    String text = new String(fromRecords, StandardCharsets.UTF_8);
    assertTrue(text.contains(Digest.sha256(big).hex()), "the hard link keeps the big content");
  }

  @Test
  void aFileChangedInSizeOrNotRecordedIsHashed() throws Exception {
    Path rootfs = Files.createDirectory(tmp.resolve("rootfs"));
    RecordedContentDigester recorded = new RecordedContentDigester(ContentDigester.streaming());
    apply(rootfs, new TarBuilder().file("a", "aaaa").build(), Compression.NONE, recorded);
    Path a = rootfs.resolve("a");
    Files.writeString(a, "grown content");
    Files.writeString(rootfs.resolve("b"), "never recorded");
    Set<DigestKind> sha = Set.of(DigestKind.SHA256);
    Map<DigestKind, String> got = recorded.digest(a, PosixFs.host().lstat(a), sha);
    assertEquals(Digest.sha256("grown content".getBytes()).hex(), got.get(DigestKind.SHA256));
    Path b = rootfs.resolve("b");
    assertEquals(
        Digest.sha256("never recorded".getBytes()).hex(),
        recorded.digest(b, PosixFs.host().lstat(b), sha).get(DigestKind.SHA256));
    assertEquals(2, recorded.misses());
    assertEquals(0, recorded.hits());
    // Other checksum kinds are always computed.
    apply(
        Files.createDirectory(tmp.resolve("other")),
        new TarBuilder().file("a", "aaaa").build(),
        Compression.NONE,
        recorded);
    Path other = tmp.resolve("other/a");
    Map<DigestKind, String> both =
        recorded.digest(
            other, PosixFs.host().lstat(other), Set.of(DigestKind.SHA256, DigestKind.MD5));
    assertEquals(Digest.sha256("aaaa".getBytes()).hex(), both.get(DigestKind.SHA256));
    assertNotEquals(null, both.get(DigestKind.MD5));
  }
}
