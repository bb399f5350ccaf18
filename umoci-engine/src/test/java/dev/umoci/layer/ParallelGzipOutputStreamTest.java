package dev.umoci.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.testing.Interop;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelGzipOutputStreamTest {
  private static final int BLOCK = ParallelGzipOutputStream.BLOCK_SIZE;
  private static final Duration NO_HANG = Duration.ofSeconds(60);

  @TempDir Path tmp;

  /**
   * Layer-like data: text with repeats (deflated), stretches of random bytes (stored), zeros, all
   * mixed so that runs of both kinds cross block and segment boundaries.
   */
  static byte[] mixed(int size, long seed) {
    Random random = new Random(seed);
    byte[] data = new byte[size];
    String[] words = {"usr/lib/", "python3", "libc.so.6", "\n", "Copyright ", "GNU ", "0755 "};
    int i = 0;
    while (i < size) {
      int kind = random.nextInt(3);
      int n = Math.min(size - i, 1 + random.nextInt(200_000));
      if (kind == 0) {
        for (int end = i + n; i < end; ) {
          byte[] w = words[random.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII);
          int k = Math.min(w.length, end - i);
          System.arraycopy(w, 0, data, i, k);
          i += k;
        }
      } else if (kind == 1) {
        byte[] r = new byte[n];
        random.nextBytes(r);
        System.arraycopy(r, 0, data, i, n);
        i += n;
      } else {
        i += n; // zeros
      }
    }
    return data;
  }

  static byte[] gzip(byte[] data, int threads, int chunk) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream gz = new ParallelGzipOutputStream(sink, Compression.GZIP_LEVEL, threads)) {
      for (int i = 0; i < data.length; i += chunk) {
        gz.write(data, i, Math.min(chunk, data.length - i));
      }
    }
    return sink.toByteArray();
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 100, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 12_345})
  void roundTripsThroughTheJdkGunzip(int size) throws IOException {
    byte[] data = mixed(size, size);
    byte[] gz = gzip(data, 2, 8192);
    assertArrayEquals(data, gunzip(gz));
  }

  @Test
  void emptyInputIsAValidEmptyGzipMember() throws Exception {
    byte[] gz = gzip(new byte[0], 2, 1);
    assertEquals(0, gunzip(gz).length);
    // header, empty final block, CRC 0, ISIZE 0
    assertEquals(10 + 2 + 8, gz.length);
    checkWithTool(gz, "gzip");
  }

  @Test
  void outputDoesNotDependOnThreadsWriteSizesFlushesOrRuns() throws IOException {
    byte[] data = mixed(5 * BLOCK + 777, 42);
    byte[] reference = gzip(data, 1, 65536);
    for (int threads = 1; threads <= 4; threads++) {
      assertArrayEquals(reference, gzip(data, threads, 65536), "threads " + threads);
      assertArrayEquals(reference, gzip(data, threads, 65536), "second run, threads " + threads);
    }
    assertArrayEquals(reference, gzip(data, 3, 1_000_003));
    assertArrayEquals(reference, gzipWithOddWrites(data, 2));
  }

  private static byte[] gzipWithOddWrites(byte[] data, int threads) throws IOException {
    Random random = new Random(7);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream gz = new ParallelGzipOutputStream(sink, Compression.GZIP_LEVEL, threads)) {
      int i = 0;
      while (i < data.length) {
        if (random.nextInt(10) == 0) {
          gz.write(data[i++]);
          gz.flush();
        } else {
          int n = Math.min(data.length - i, random.nextInt(300_000));
          gz.write(data, i, n);
          i += n;
        }
      }
    }
    return sink.toByteArray();
  }

  @Test
  void randomDataIsStoredAndCompressibleDataDeflated() throws IOException {
    byte[] random = new byte[3 * BLOCK];
    new Random(1).nextBytes(random);
    byte[] gz = gzip(random, 2, 65536);
    assertArrayEquals(random, gunzip(gz));
    assertTrue(gz.length < random.length + random.length / 1000, "stored: " + gz.length);

    byte[] text = "the quick brown fox jumps over the lazy dog\n".repeat(80_000).getBytes();
    byte[] gzText = gzip(text, 2, 65536);
    assertArrayEquals(text, gunzip(gzText));
    assertTrue(gzText.length < text.length / 50, "deflated: " + gzText.length);
  }

  @Test
  void entropyCheckSeparatesRandomFromStructuredData() {
    byte[] random = new byte[65536];
    new Random(3).nextBytes(random);
    assertTrue(ParallelGzipOutputStream.looksIncompressible(random, 0, random.length));
    byte[] zeros = new byte[65536];
    assertFalse(ParallelGzipOutputStream.looksIncompressible(zeros, 0, zeros.length));
    byte[] text = "some text, some more text, and more\n".repeat(2000).getBytes();
    assertFalse(ParallelGzipOutputStream.looksIncompressible(text, 0, text.length));
    // 5% zeros (tar headers between compressed files) is still worth deflating
    for (int i = 0; i < random.length; i += 20) {
      random[i] = 0;
    }
    assertFalse(ParallelGzipOutputStream.looksIncompressible(random, 0, random.length));
  }

  @Test
  void gzipAndPigzAcceptTheOutputAndAgreeOnTheContent() throws Exception {
    byte[] data = mixed(4 * BLOCK + 99, 5);
    byte[] gz = gzip(data, 2, 65536);
    checkWithTool(gz, "gzip");
    checkWithTool(gz, "pigz");
    assertArrayEquals(data, decompressWithTool(gz, "gzip"));
    assertArrayEquals(data, decompressWithTool(gz, "pigz"));
  }

  private void checkWithTool(byte[] gz, String tool) throws Exception {
    Interop.require(Files.isExecutable(Path.of("/usr/bin/" + tool)), tool + " is installed");
    Path file = Files.write(tmp.resolve("t-" + tool + ".gz"), gz);
    Process p = new ProcessBuilder(tool, "-t", file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), tool + " -t: " + out);
  }

  private byte[] decompressWithTool(byte[] gz, String tool) throws Exception {
    Interop.require(Files.isExecutable(Path.of("/usr/bin/" + tool)), tool + " is installed");
    Path file = Files.write(tmp.resolve("d-" + tool + ".gz"), gz);
    Process p =
        new ProcessBuilder(tool, "-dc", file.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor(), tool + " -dc failed");
    return out;
  }

  @Test
  void streams64MiBThroughAFileAndGzipAgrees() throws Exception {
    int size = 64 << 20;
    MessageDigest plainDigest = MessageDigest.getInstance("SHA-256");
    Path file = tmp.resolve("big.gz");
    try (OutputStream gz =
        new ParallelGzipOutputStream(Files.newOutputStream(file), Compression.GZIP_LEVEL, 2)) {
      for (int i = 0; i < size / (4 << 20); i++) {
        byte[] chunk = mixed(4 << 20, 100 + i);
        plainDigest.update(chunk);
        gz.write(chunk);
      }
    }
    MessageDigest readBack = MessageDigest.getInstance("SHA-256");
    long total = 0;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        readBack.update(buf, 0, n);
        total += n;
      }
    }
    assertEquals(size, total);
    assertArrayEquals(plainDigest.digest(), readBack.digest());
    checkWithTool(Files.readAllBytes(file), "gzip");
  }

  @Test
  void writerBlocksOnceTwiceThreadsBlocksAreInFlight() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong accepted = new AtomicLong();
    int threads = 2;
    int blockSize = 64 * 1024 + 1;
    AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    byte[] data = mixed(40 * blockSize, 9);
    ParallelGzipOutputStream gz =
        new ParallelGzipOutputStream(
            sink,
            Compression.GZIP_LEVEL,
            threads,
            blockSize,
            block -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
              return new ParallelGzipOutputStream.Compressed(
                  storedOnly(block), storedOnly(block).length, block.input());
            });
    Thread writer =
        new Thread(
            () -> {
              try (gz) {
                for (int i = 0; i < data.length; i += 4096) {
                  gz.write(data, i, Math.min(4096, data.length - i));
                  accepted.set(i + 4096);
                }
              } catch (Throwable e) {
                writerFailure.set(e);
              }
            });
    writer.start();
    // The writer may fill the in-flight blocks plus the one it is filling, then must wait.
    long limit = (2L * threads + 1) * blockSize;
    long before;
    do {
      before = accepted.get();
      Thread.sleep(200);
    } while (accepted.get() != before);
    assertTrue(writer.isAlive(), "writer must be waiting for the deflaters");
    assertTrue(accepted.get() <= limit, accepted.get() + " bytes buffered, limit " + limit);
    release.countDown();
    writer.join(NO_HANG.toMillis());
    assertFalse(writer.isAlive());
    assertEquals(null, writerFailure.get());
    assertArrayEquals(data, gunzip(sink.toByteArray()));
  }

  /** A test deflater: the block as stored deflate blocks, ended like the real one. */
  private static byte[] storedOnly(ParallelGzipOutputStream.Block block) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < block.length(); i += 65535) {
      int n = Math.min(65535, block.length() - i);
      out.write(new byte[] {0, (byte) n, (byte) (n >>> 8), (byte) ~n, (byte) (~n >>> 8)}, 0, 5);
      out.write(block.input(), i, n);
    }
    if (block.last()) {
      out.write(new byte[] {3, 0}, 0, 2);
    }
    return out.toByteArray();
  }

  @Test
  void aFailingWorkerSurfacesAsIOExceptionAndClosesTheSink() {
    AtomicInteger calls = new AtomicInteger();
    AtomicBoolean sinkClosed = new AtomicBoolean();
    OutputStream sink =
        new ByteArrayOutputStream() {
          @Override
          public void close() {
            sinkClosed.set(true);
          }
        };
    byte[] data = mixed(30 * 40_000, 11);
    assertTimeoutPreemptively(
        NO_HANG,
        () -> {
          ParallelGzipOutputStream gz =
              new ParallelGzipOutputStream(
                  sink,
                  Compression.GZIP_LEVEL,
                  2,
                  40_000,
                  block -> {
                    if (calls.incrementAndGet() == 3) {
                      throw new IllegalStateException("deflater exploded");
                    }
                    byte[] b = storedOnly(block);
                    return new ParallelGzipOutputStream.Compressed(b, b.length, block.input());
                  });
          IOException e =
              assertThrows(
                  IOException.class,
                  () -> {
                    try (gz) {
                      gz.write(data);
                    }
                  });
          assertTrue(e.getMessage().contains("deflater exploded"), e.getMessage());
          assertThrows(IOException.class, gz::close, "a broken stream stays broken");
          assertThrows(IOException.class, () -> gz.write(1));
        });
    assertTrue(sinkClosed.get());
  }

  @Test
  void aFailingSinkSurfacesAsIOException() {
    OutputStream sink = new DiskFullAfter(3 * BLOCK);
    byte[] random = new byte[8 * BLOCK];
    new Random(2).nextBytes(random);
    assertTimeoutPreemptively(
        NO_HANG,
        () -> {
          IOException e =
              assertThrows(
                  IOException.class,
                  () -> {
                    try (OutputStream gz = new ParallelGzipOutputStream(sink, 2, 2)) {
                      gz.write(random);
                    }
                  });
          assertEquals("disk full", e.getMessage());
        });
  }

  @Test
  void levelsOutsideZlibsRangeAreRefusedAndMinusOneIsTheDefault() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    assertThrows(IllegalArgumentException.class, () -> new ParallelGzipOutputStream(sink, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> new ParallelGzipOutputStream(sink, -2, 1));
    assertThrows(IllegalArgumentException.class, () -> new ParallelGzipOutputStream(sink, 2, 0));
    byte[] data = mixed(BLOCK + 3, 12);
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    try (OutputStream gz = new ParallelGzipOutputStream(a, -1, 2)) {
      gz.write(data);
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (OutputStream gz = new ParallelGzipOutputStream(b, 6, 2)) {
      gz.write(data);
    }
    assertArrayEquals(a.toByteArray(), b.toByteArray());
    assertArrayEquals(data, gunzip(a.toByteArray()));
  }

  @Test
  void compressionGzipUsesTheParallelWriterAndRoundTrips() throws IOException {
    byte[] data = mixed(2 * BLOCK + 5, 77);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream gz = Compression.GZIP.compress(sink)) {
      gz.write(data);
    }
    assertArrayEquals(gzip(data, 1, 4096), sink.toByteArray());
    try (InputStream in =
        Compression.GZIP.decompress(new ByteArrayInputStream(sink.toByteArray()))) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, BLOCK - 1, BLOCK, 3 * BLOCK + 12_345})
  void plainDigestIsTheSha256OfWhatWasWrittenAndTheOutputStaysTheSame(int size) throws Exception {
    byte[] data = mixed(size, size + 5);
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
    for (int threads = 1; threads <= 3; threads++) {
      MessageDigest plain = MessageDigest.getInstance("SHA-256");
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      Random random = new Random(threads);
      try (OutputStream gz =
          new ParallelGzipOutputStream(sink, Compression.GZIP_LEVEL, threads, BLOCK, null, plain)) {
        int i = 0;
        while (i < data.length) {
          int n = Math.min(data.length - i, 1 + random.nextInt(400_000));
          gz.write(data, i, n);
          i += n;
          if (random.nextInt(4) == 0) {
            gz.flush();
          }
        }
      }
      assertArrayEquals(expected, plain.digest(), "threads " + threads);
      assertArrayEquals(gzip(data, 1, 65536), sink.toByteArray(), "threads " + threads);
    }
  }

  @Test
  void everyCompressionFeedsThePlainDigestWithThePlainBytes() throws Exception {
    byte[] data = mixed(2 * BLOCK + 99, 3);
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
    for (Compression c : Compression.values()) {
      MessageDigest plain = MessageDigest.getInstance("SHA-256");
      ByteArrayOutputStream withDigest = new ByteArrayOutputStream();
      try (OutputStream out = new java.io.FilterOutputStream(c.compress(withDigest, plain))) {
        out.write(data, 0, 1000);
        out.write(data[1000]);
        out.write(data, 1001, data.length - 1001);
      }
      // as ImageMutator wrapped the compressor before the digest moved into it: a counting filter
      ByteArrayOutputStream without = new ByteArrayOutputStream();
      try (OutputStream out = new java.io.FilterOutputStream(c.compress(without))) {
        out.write(data, 0, 1000); // the same writes: zstd's frames follow them
        out.write(data[1000]);
        out.write(data, 1001, data.length - 1001);
      }
      assertArrayEquals(expected, plain.digest(), c.name());
      assertArrayEquals(without.toByteArray(), withDigest.toByteArray(), c.name());
    }
  }

  @Test
  void theUnderlyingStreamIsWrittenByOneThreadAtATimeAndNotAfterClose() throws Exception {
    AtomicInteger active = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicBoolean closedReturned = new AtomicBoolean();
    AtomicInteger lateWrites = new AtomicInteger();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream sink =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            if (active.incrementAndGet() > 1) {
              overlaps.incrementAndGet();
            }
            if (closedReturned.get()) {
              lateWrites.incrementAndGet();
            }
            Thread.onSpinWait();
            bytes.write(b, off, len);
            active.decrementAndGet();
          }

          @Override
          public void flush() {
            if (active.get() != 0) {
              overlaps.incrementAndGet();
            }
          }
        };
    byte[] data = mixed(9 * BLOCK + 1, 8);
    OutputStream gz = new ParallelGzipOutputStream(sink, Compression.GZIP_LEVEL, 3);
    for (int i = 0; i < data.length; i += 300_000) {
      gz.write(data, i, Math.min(300_000, data.length - i));
      if (i % 900_000 == 0) {
        gz.flush();
      }
    }
    gz.close();
    closedReturned.set(true);
    Thread.sleep(50);
    assertEquals(0, overlaps.get());
    assertEquals(0, lateWrites.get());
    assertArrayEquals(gzip(data, 1, 65536), bytes.toByteArray());
  }

  @Test
  void nothingIsWrittenAfterTheUnderlyingStreamFailed() {
    DiskFullAfter sink = new DiskFullAfter(2 * BLOCK);
    byte[] random = new byte[12 * BLOCK];
    new Random(9).nextBytes(random);
    assertTimeoutPreemptively(
        NO_HANG,
        () -> {
          OutputStream gz = new ParallelGzipOutputStream(sink, Compression.GZIP_LEVEL, 2);
          IOException e =
              assertThrows(
                  IOException.class,
                  () -> {
                    try (gz) {
                      for (int i = 0; i < random.length; i += BLOCK / 2) {
                        gz.write(random, i, BLOCK / 2);
                      }
                    }
                  });
          assertEquals("disk full", e.getMessage());
        });
    assertEquals(0, sink.writesAfterFailure.get());
  }

  /**
   * An underlying stream that takes {@code budget} bytes, then fails every write with "disk full"
   * and counts the writes tried after its first failure.
   */
  private static final class DiskFullAfter extends OutputStream {
    private final long budget;
    private final AtomicBoolean failed = new AtomicBoolean();
    final AtomicInteger writesAfterFailure = new AtomicInteger();
    private long written;

    DiskFullAfter(long budget) {
      this.budget = budget;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (failed.get()) {
        writesAfterFailure.incrementAndGet();
      }
      written += len;
      if (written > budget) {
        failed.set(true);
        throw new IOException("disk full");
      }
    }
  }
}
