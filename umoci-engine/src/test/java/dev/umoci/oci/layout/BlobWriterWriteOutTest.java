package dev.umoci.oci.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs of many {@link EarlyWriteOut} windows: the same bytes, background syncs, and no descriptor
 * left open.
 */
class BlobWriterWriteOutTest {
  @TempDir Path tmp;

  private static final int SIZE = (int) (2.5 * EarlyWriteOut.WINDOW);

  @Test
  void aBlobWrittenInOrderAndInPartsOnOtherThreadsCommitsWithItsBytes() throws Exception {
    byte[] data = random(SIZE, 1);
    int firstEnd = SIZE / 5;
    int secondEnd = SIZE / 2;
    try (OciLayout layout = OciLayout.create(tmp.resolve("img"));
        BlobWriter w = layout.newBlob()) {
      for (int at = 0; at < firstEnd; at += 100_000) {
        w.write(ByteBuffer.wrap(data, at, Math.min(100_000, firstEnd - at)).asReadOnlyBuffer());
      }
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<?> a = pool.submit(() -> writeAt(w, data, firstEnd, secondEnd));
        Future<?> b = pool.submit(() -> writeAt(w, data, secondEnd, SIZE));
        a.get();
        b.get();
      } finally {
        pool.shutdown();
      }
      w.adopt(secondEnd - firstEnd);
      w.adopt(SIZE - secondEnd);
      WrittenBlob blob = w.commit(sha256(data), SIZE);
      assertArrayEquals(data, Files.readAllBytes(layout.blobPath(blob.digest())));
    }
  }

  /** The first blob loads the native libraries (which keep descriptors); the count starts after. */
  @Test
  void committedAndDiscardedBlobsLeaveNoDescriptorOpen() throws Exception {
    try (OciLayout layout = OciLayout.create(tmp.resolve("img"));
        BlobWriter w = layout.newBlob()) {
      w.write(random(SIZE, 9), 0, SIZE);
      w.commit();
    }
    long before = openDescriptors();
    try (OciLayout layout = OciLayout.create(tmp.resolve("img2"))) {
      for (int i = 0; i < 3; i++) {
        byte[] data = random(SIZE, 10 + i);
        try (BlobWriter w = layout.newBlob()) {
          w.write(data, 0, data.length);
          if (i < 2) {
            w.commit();
          }
        }
      }
    }
    assertEquals(before, openDescriptors());
  }

  @Test
  void aFileThatCannotBeOpenedTurnsTheHintOffQuietly() {
    Path gone = tmp.resolve("not-there");
    try (EarlyWriteOut w = new EarlyWriteOut(gone)) {
      w.written(EarlyWriteOut.WINDOW);
      w.written(EarlyWriteOut.WINDOW);
    }
    assertFalse(Files.exists(gone));
  }

  @Test
  void aFileOfManyWindowsIsSyncedInTheBackgroundAndItsDescriptorReleasedAtClose() throws Exception {
    Path file = Files.write(tmp.resolve("blob"), random(1 << 20, 3));
    loadTheNativeLibraries();
    long before = openDescriptors();
    int syncs;
    try (EarlyWriteOut w = new EarlyWriteOut(file, 4096)) {
      for (int i = 0; i < 256; i++) {
        w.written(4096);
      }
      syncs = w.syncs();
    }
    assertTrue(syncs >= 1, "no background sync in 256 windows");
    assertEquals(before, openDescriptors());
  }

  /**
   * A writer closed on an interrupted thread still waits for its background sync before it releases
   * the descriptor (whose number another file could get), and keeps the interrupt.
   */
  @Test
  void closingOnAnInterruptedThreadReleasesTheDescriptorAndKeepsTheInterrupt() throws Exception {
    Path file = Files.write(tmp.resolve("blob"), random(1 << 20, 4));
    loadTheNativeLibraries();
    long before = openDescriptors();
    EarlyWriteOut w = new EarlyWriteOut(file, 4096);
    w.written(4096);
    w.written(4096);
    assertEquals(1, w.syncs());
    Thread.currentThread().interrupt();
    w.close();
    assertTrue(Thread.interrupted(), "the interrupt was swallowed");
    assertEquals(before, openDescriptors());
  }

  /** A first sync loads the native libraries, which keep descriptors: counts start after it. */
  private void loadTheNativeLibraries() throws IOException {
    Path scratch = Files.write(tmp.resolve("scratch"), new byte[8192]);
    try (EarlyWriteOut w = new EarlyWriteOut(scratch, 4096)) {
      w.written(4096);
      w.written(4096);
    }
  }

  private static Void writeAt(BlobWriter w, byte[] data, int from, int to) throws IOException {
    for (int at = from; at < to; at += 300_000) {
      w.writeAt(ByteBuffer.wrap(data, at, Math.min(300_000, to - at)), at);
    }
    return null;
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static Digest sha256(byte[] data) throws Exception {
    return Digest.ofSha256(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
