package dev.umoci.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.oci.spec.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerBlobUnpackerTest {
  @TempDir Path tmp;

  private static TarBuilder layer() {
    return new TarBuilder().dir("etc").file("etc/os-release", "ID=test\n");
  }

  private void unpack(byte[] blob, Compression c, Digest diffId) throws IOException {
    Path rootfs = tmp.resolve("rootfs-" + c + "-" + System.nanoTime());
    Files.createDirectory(rootfs);
    InputStream in = new ByteArrayInputStream(blob);
    LayerBlobUnpacker.unpackLayer(
        in, c, Digest.sha256(blob), diffId, rootfs, ExtractOptions.defaults());
    assertEquals("ID=test\n", Files.readString(rootfs.resolve("etc/os-release")));
    assertEquals(-1, in.read(), "blob read to its end");
  }

  @Test
  void gzipZstdAndPlainLayersUnpackWithMatchingDiffId() throws IOException {
    byte[] plain = layer().build();
    Digest diffId = Digest.sha256(plain);
    for (Compression c : Compression.values()) {
      unpack(layer().build(c), c, diffId);
    }
  }

  @Test
  void diffIdCoversTrailingPaddingAfterTheEndMarker() throws IOException {
    byte[] padded = TarCodecTest.concat(layer().build(), new byte[10240 - 2048]);
    unpack(padded, Compression.NONE, Digest.sha256(padded));
  }

  @Test
  void diffIdMismatchIsDetected() {
    byte[] blob = layer().build(Compression.GZIP);
    Digest wrong = Digest.sha256(new byte[] {1});
    DigestMismatchException e =
        assertThrows(DigestMismatchException.class, () -> unpack(blob, Compression.GZIP, wrong));
    assertTrue(
        e.getMessage()
            .startsWith(
                "layer "
                    + Digest.sha256(blob)
                    + ": diffid mismatch: expected "
                    + wrong
                    + ", got sha256:"),
        e.getMessage());
  }

  @Test
  void trailingJunkAfterTheCompressedStreamIsDrained() throws IOException {
    byte[] gz = layer().build(Compression.GZIP);
    byte[] withJunk = TarCodecTest.concat(gz, "junk junk junk junk junk junk".getBytes());
    unpack(withJunk, Compression.GZIP, Digest.sha256(layer().build()));
  }
}
