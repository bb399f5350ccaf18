package dev.umoci.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.oci.spec.Digest;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NativeSha256Test {
  @Test
  void libcryptoIsLoadedOnTheTestMachines() {
    // .ci/run installs openssl and with it libcrypto; without it Digest uses the JDK's SHA-256.
    assertTrue(NativeSha256.available());
    assertEquals(NativeSha256.class, Digest.newSha256().getClass());
  }

  @Test
  void knownAnswers() {
    MessageDigest md = new NativeSha256();
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        HexFormat.of().formatHex(md.digest()));
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        HexFormat.of().formatHex(md.digest("abc".getBytes())));
  }

  @Test
  void sameAsTheJdkForAnySizeAndWritePattern() throws Exception {
    Random random = new Random(42);
    for (int size : new int[] {0, 1, 63, 64, 65, 65535, 65536, 65537, 200_000, 1 << 20}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(data);
      MessageDigest whole = new NativeSha256();
      assertArrayEquals(expected, whole.digest(data), "whole, size " + size);
      MessageDigest pieces = new NativeSha256();
      int off = 0;
      while (off < size) {
        int n = Math.min(size - off, 1 + random.nextInt(100_000));
        if (n == 1) {
          pieces.update(data[off]);
        } else {
          pieces.update(data, off, n);
        }
        off += n;
      }
      assertArrayEquals(expected, pieces.digest(), "pieces, size " + size);
      // digest() resets: the instance is reusable.
      assertArrayEquals(expected, pieces.digest(data), "reused, size " + size);
      pieces.update(data, 0, Math.min(10, size));
      pieces.reset();
      assertArrayEquals(expected, pieces.digest(data), "after reset, size " + size);
    }
  }

  /**
   * Direct buffers are hashed in place, mixed with arrays, single bytes and heap buffers (read-only
   * ones too, as the HTTP client hands out), at offsets inside the buffers.
   */
  @Test
  void directBuffersHashLikeArraysInAnyMix() throws Exception {
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 65535, 65536, 65537, 300_000, 3 << 20}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(data);
      MessageDigest md = new NativeSha256();
      int off = 0;
      int kind = 0;
      while (off < size) {
        int n = Math.min(size - off, 1 + random.nextInt(200_000));
        switch (kind++ % 4) {
          case 0 -> {
            java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(n + 10);
            direct.position(3);
            direct.put(data, off, n);
            direct.flip().position(3);
            md.update(direct);
            assertEquals(direct.limit(), direct.position(), "consumed");
          }
          case 1 -> md.update(java.nio.ByteBuffer.wrap(data, off, n).asReadOnlyBuffer());
          case 2 -> md.update(data[off++]);
          default -> md.update(data, off, n);
        }
        if ((kind - 1) % 4 != 2) {
          off += n;
        }
      }
      assertArrayEquals(expected, md.digest(), "size " + size);
    }
  }
}
