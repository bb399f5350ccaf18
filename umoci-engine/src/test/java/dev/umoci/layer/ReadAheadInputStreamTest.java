package dev.umoci.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.DigestMismatchException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The background reader that runs decompression and DiffID hashing beside extraction. */
class ReadAheadInputStreamTest {
  /** A source of zeros that never ends; {@code onRead} is told the length of every bulk read. */
  private static InputStream endlessZeros(java.util.function.IntConsumer onRead) {
    return new InputStream() {
      @Override
      public int read() {
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        onRead.accept(len);
        return len;
      }
    };
  }

  @Test
  void deliversTheSourceBytesInOrder() throws IOException {
    byte[] data = new byte[5_000_003];
    new Random(1).nextBytes(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // An odd chunk size and a source that returns short reads.
    InputStream trickle =
        new ByteArrayInputStream(data) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 777));
          }
        };
    try (ReadAheadInputStream in = new ReadAheadInputStream(trickle, 65_537, 3, "test")) {
      byte[] buf = new byte[10_000];
      int n;
      while ((n = in.read(buf, 3, 4_000)) > 0) {
        out.write(buf, 3, n);
      }
      assertEquals(-1, in.read());
    }
    assertArrayEquals(data, out.toByteArray());
  }

  @Test
  void aSourceFailureIsRethrownAsTheSameException() throws IOException {
    DigestMismatchException failure = new DigestMismatchException("blob sha256:x is corrupt");
    InputStream failing =
        new InputStream() {
          int left = 100_000;

          @Override
          public int read() throws IOException {
            if (left <= 0) {
              throw failure;
            }
            left--;
            return 'a';
          }
        };
    try (ReadAheadInputStream in = new ReadAheadInputStream(failing, 4096, 2, "test")) {
      IOException thrown = assertThrows(IOException.class, () -> in.readAllBytes());
      assertSame(failure, thrown);
    }
  }

  @Test
  void closeStopsTheReaderBeforeTheEnd() throws Exception {
    AtomicLong served = new AtomicLong();
    AtomicBoolean readAfterClose = new AtomicBoolean();
    AtomicBoolean closed = new AtomicBoolean();
    InputStream endless =
        endlessZeros(
            len -> {
              if (closed.get()) {
                readAfterClose.set(true);
              }
              served.addAndGet(len);
            });
    ReadAheadInputStream in = new ReadAheadInputStream(endless, 1 << 16, 2, "test");
    assertEquals(1000, in.readNBytes(1000).length);
    in.close();
    closed.set(true);
    long after = served.get();
    Thread.sleep(300);
    assertEquals(after, served.get(), "the reader stopped");
    assertFalse(readAfterClose.get());
    assertTrue(after <= 4 * (1 << 16), "bounded read-ahead: " + after);
    assertEquals(-1, in.read());
  }

  @Test
  void theDigestSeesEveryByteOnceTheConsumerReadToTheEnd() throws Exception {
    byte[] data = new byte[3_000_001];
    new Random(2).nextBytes(data);
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] read;
    try (ReadAheadInputStream in =
        new ReadAheadInputStream(new ByteArrayInputStream(data), 10_007, 2, "test", digest)) {
      read = in.readAllBytes();
    }
    assertArrayEquals(data, read);
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), digest.digest());
  }

  @Test
  void aSlowDigestHoldsBackTheReaderNotTheData() throws Exception {
    // The digest lags behind: buffers come back only when both it and the consumer are done.
    byte[] data = new byte[200_000];
    new Random(3).nextBytes(data);
    MessageDigest slow =
        new MessageDigest("slow") {
          private final MessageDigest real = MessageDigest.getInstance("SHA-256");

          @Override
          protected void engineUpdate(byte input) {
            real.update(input);
          }

          @Override
          protected void engineUpdate(byte[] input, int offset, int len) {
            try {
              Thread.sleep(5);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            real.update(input, offset, len);
          }

          @Override
          protected byte[] engineDigest() {
            return real.digest();
          }

          @Override
          protected void engineReset() {
            real.reset();
          }
        };
    try (ReadAheadInputStream in =
        new ReadAheadInputStream(new ByteArrayInputStream(data), 4096, 3, "test", slow)) {
      assertArrayEquals(data, in.readAllBytes());
    }
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), slow.digest());
  }

  @Test
  void closeBeforeTheEndStopsTheDigestThreadToo() throws Exception {
    InputStream endless = endlessZeros(len -> {});
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    ReadAheadInputStream in = new ReadAheadInputStream(endless, 1 << 16, 2, "test-close", digest);
    assertEquals(1000, in.readNBytes(1000).length);
    in.close();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      assertFalse(t.getName().startsWith("test-close"), "still running: " + t.getName());
    }
  }

  @Test
  void theSourceIsOpenedOnTheReadingThreadAndItsFailureRethrown() throws Exception {
    IOException missing = new java.nio.file.NoSuchFileException("blob");
    AtomicBoolean ended = new AtomicBoolean();
    try (ReadAheadInputStream in =
        new ReadAheadInputStream(
            () -> {
              throw missing;
            },
            ReadAheadInputStream.pool(1024, 2),
            "test-open",
            null,
            () -> ended.set(true))) {
      assertSame(missing, assertThrows(IOException.class, in::read));
    }
    assertFalse(ended.get(), "a source that failed is not 'read'");
  }

  @Test
  void whenSourceEndsRunsAfterTheLastByteAndStreamsShareThePool() throws Exception {
    java.util.concurrent.BlockingQueue<byte[]> pool = ReadAheadInputStream.pool(1000, 3);
    java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    byte[] first = new byte[5500];
    byte[] second = new byte[2500];
    new Random(4).nextBytes(first);
    new Random(5).nextBytes(second);
    ReadAheadInputStream a =
        new ReadAheadInputStream(
            () -> new ByteArrayInputStream(first), pool, "test-a", null, ended::countDown);
    assertArrayEquals(first, a.readAllBytes());
    assertTrue(ended.await(10, java.util.concurrent.TimeUnit.SECONDS));
    ReadAheadInputStream b =
        new ReadAheadInputStream(
            () -> new ByteArrayInputStream(second), pool, "test-b", null, null);
    assertArrayEquals(second, b.readAllBytes());
    a.close();
    b.close();
    assertEquals(3, pool.size(), "every buffer is back in the pool");
  }
}
