package dev.umoci.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.testing.ExternalTool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelGzipOutputStreamTest {
  @TempDir Path tmp;

  /** 3.5 blocks: text-like, then random (stored), then text again. */
  static byte[] mixed() {
    int block = ParallelGzipOutputStream.BLOCK;
    byte[] data = new byte[block * 3 + block / 2];
    for (int i = 0; i < block; i++) {
      data[i] = (byte) ("the quick brown fox ".charAt(i % 20) + (i / 4096) % 3);
    }
    byte[] random = new byte[block + 12345];
    new Random(42).nextBytes(random);
    System.arraycopy(random, 0, data, block, random.length);
    for (int i = block * 2 + 12345; i < data.length; i++) {
      data[i] = (byte) (i % 7 == 0 ? '\n' : 'a' + i % 13);
    }
    return data;
  }

  static byte[] gzip(byte[] data, int threads, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gz =
        new ParallelGzipOutputStream(out, Deflater.DEFAULT_COMPRESSION, threads)) {
      for (int off = 0; off < data.length; off += chunk) {
        gz.write(data, off, Math.min(chunk, data.length - off));
      }
    }
    return out.toByteArray();
  }

  @Test
  void roundTripsAndIsIndependentOfThreadsAndWriteSizes() throws IOException {
    byte[] data = mixed();
    byte[] one = gzip(data, 1, 1 << 20);
    byte[] two = gzip(data, 2, 7777);
    assertArrayEquals(one, two, "output depends only on the input");
    assertArrayEquals(data, new GZIPInputStream(new ByteArrayInputStream(one)).readAllBytes());
    assertTrue(one.length < data.length * 0.6, "compressible parts were compressed");
    assertTrue(one.length > ParallelGzipOutputStream.BLOCK, "random part was stored");
  }

  @Test
  void emptyAndTinyStreamsAreValid() throws IOException {
    assertArrayEquals(
        new byte[0],
        new GZIPInputStream(new ByteArrayInputStream(gzip(new byte[0], 2, 1))).readAllBytes());
    byte[] tiny = {1, 2, 3};
    assertArrayEquals(
        tiny, new GZIPInputStream(new ByteArrayInputStream(gzip(tiny, 2, 1))).readAllBytes());
  }

  @Test
  void gnuGzipAcceptsTheOutput() throws Exception {
    byte[] data = mixed();
    Path gz = tmp.resolve("x.gz");
    Files.write(gz, gzip(data, 2, 65536));
    ExternalTool.Result r = ExternalTool.run("gzip", "-t", gz.toString());
    assertEquals(0, r.exitCode(), r.stderr());
  }
}
