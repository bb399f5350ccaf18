package dev.umoci.layer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.umoci.errors.UmociException;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.sys.TreeRemover;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz targets for gzip and zstd framing through the layer unpacker: the input is a layer blob,
 * decompressed, hashed, read as tar and extracted into a scratch rootfs. Only {@link
 * UmociException} may escape (a corrupt stream, a bad tar, a diffid mismatch, a limit); nothing may
 * be written outside the scratch directory.
 */
class LayerUnpackFuzzTest {
  static final InputLimits LIMITS =
      new InputLimits(1 << 20, 64 << 10, 16 << 10, 4096, 4096, 4 << 20, 2_000);

  static Path scratch;

  @BeforeAll
  static void scratch() throws IOException {
    scratch = Files.createTempDirectory("umoci-fuzz-unpack");
  }

  @AfterAll
  static void cleanUp() throws IOException {
    delete(scratch);
  }

  @FuzzTest(maxDuration = "60s")
  void gzipLayer(FuzzedDataProvider data) {
    unpack(data, Compression.GZIP);
  }

  @FuzzTest(maxDuration = "60s")
  void zstdLayer(FuzzedDataProvider data) {
    unpack(data, Compression.ZSTD);
  }

  /**
   * The first byte picks whether the expected diffid is the real one (so that well-formed inputs
   * get through to the end) or a wrong one; the rest is the blob.
   */
  private static void unpack(FuzzedDataProvider data, Compression compression) {
    boolean rightDiffId = data.consumeBoolean();
    byte[] blob = data.consumeRemainingAsBytes();
    Path rootfs = scratch.resolve("rootfs");
    try {
      delete(rootfs);
      Files.createDirectory(rootfs);
      Digest diffId = rightDiffId ? plainDigest(blob, compression) : Digest.sha256(new byte[0]);
      if (diffId == null) {
        diffId = Digest.sha256(new byte[0]);
      }
      LayerBlobUnpacker.unpackLayer(
          new ByteArrayInputStream(blob),
          compression,
          Digest.sha256(blob),
          diffId,
          rootfs,
          ExtractOptions.defaults().withLimits(LIMITS));
    } catch (UmociException expected) {
      // the declared failure
    } catch (IOException e) {
      throw new UncheckedIOException("undeclared I/O failure unpacking a layer", e);
    }
  }

  /** The digest of the decompressed blob, or null when it does not decompress. */
  private static Digest plainDigest(byte[] blob, Compression compression) {
    try (var in = compression.decompress(new ByteArrayInputStream(blob))) {
      return Digest.sha256(in.readNBytes(8 << 20));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static void delete(Path dir) throws IOException {
    TreeRemover.direct().remove(dir);
  }
}
