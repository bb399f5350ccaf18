package dev.umoci.oci.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.BlobNotFoundException;
import dev.umoci.errors.DigestMismatchException;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.errors.LayoutLockedException;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {
  @TempDir Path tmp;

  @Test
  void createWritesTheLayoutUmociWrites() throws IOException {
    Path dir = tmp.resolve("img");
    OciLayout.create(dir).close();
    assertEquals(
        "{\"imageLayoutVersion\":\"1.0.0\"}\n", Files.readString(dir.resolve("oci-layout")));
    assertEquals(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"manifests\":[]}\n",
        Files.readString(dir.resolve("index.json")));
    assertTrue(Files.isDirectory(dir.resolve("blobs/sha256")));
    LayoutChecks.assertValid(dir);
  }

  @Test
  void createRefusesAnExistingPath() throws IOException {
    Files.createDirectory(tmp.resolve("x"));
    var e = assertThrows(InvalidLayoutException.class, () -> OciLayout.create(tmp.resolve("x")));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void createMakesMissingParentsAndLeavesNoStagingDirectory() throws IOException {
    Path dir = tmp.resolve("a/b/img");
    OciLayout.create(dir).close();
    LayoutChecks.assertValid(dir);
    try (var siblings = Files.list(dir.getParent())) {
      assertEquals(List.of(dir), siblings.toList());
    }
  }

  @Test
  void openNamesWhatIsMissing() throws IOException {
    Path dir = tmp.resolve("img");
    var missing = assertThrows(InvalidLayoutException.class, () -> OciLayout.open(dir));
    assertEquals(dir + ": not an OCI image layout: no such directory", missing.getMessage());
    Files.createDirectory(dir);
    var noMarker = assertThrows(InvalidLayoutException.class, () -> OciLayout.open(dir));
    assertEquals(dir + ": not an OCI image layout: missing oci-layout", noMarker.getMessage());
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
    var version = assertThrows(InvalidLayoutException.class, () -> OciLayout.open(dir));
    assertTrue(version.getMessage().contains("2.0.0"), version.getMessage());
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    var blobs = assertThrows(InvalidLayoutException.class, () -> OciLayout.open(dir));
    assertTrue(blobs.getMessage().endsWith("missing blobs/ directory"), blobs.getMessage());
    Files.createDirectories(dir.resolve("blobs/sha256"));
    var index = assertThrows(InvalidLayoutException.class, () -> OciLayout.open(dir));
    assertTrue(index.getMessage().endsWith("missing index.json"), index.getMessage());
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,");
    try (OciLayout layout = OciLayout.open(dir)) {
      var bad = assertThrows(InvalidLayoutException.class, layout::readIndex);
      assertTrue(bad.getMessage().contains("malformed JSON"), bad.getMessage());
      assertFalse(bad.getMessage().contains("\n"));
    }
  }

  @Test
  void blobRoundTripIsVerified() throws IOException {
    Path dir = tmp.resolve("img");
    try (OciLayout layout = OciLayout.create(dir)) {
      byte[] data = "hello blob".getBytes(StandardCharsets.UTF_8);
      Descriptor d = layout.putBytes("application/octet-stream", data);
      assertEquals(Digest.sha256(data), d.digest());
      assertEquals(data.length, d.size());
      assertArrayEquals(data, layout.readBlob(d));
      assertTrue(layout.hasBlob(d.digest()));
      assertEquals(List.of(d.digest()), layout.listBlobs());
    }
    LayoutChecks.assertValid(dir);
    LayoutChecks.assertNoTempDirs(dir);
  }

  @Test
  void readsCatchCorruptionSizeAndMissingBlobs() throws IOException {
    try (OciLayout layout = OciLayout.create(tmp.resolve("img"))) {
      Descriptor d = layout.putBytes("application/octet-stream", "abcdef".getBytes());
      Files.writeString(layout.blobPath(d.digest()), "abcdeX");
      var mismatch = assertThrows(DigestMismatchException.class, () -> layout.readBlob(d));
      assertTrue(mismatch.getMessage().contains(d.digest().toString()), mismatch.getMessage());

      Files.writeString(layout.blobPath(d.digest()), "abcdef-and-more");
      var longer = assertThrows(DigestMismatchException.class, () -> layout.readBlob(d));
      assertTrue(longer.getMessage().contains("larger"), longer.getMessage());

      Files.writeString(layout.blobPath(d.digest()), "abc");
      var shorter = assertThrows(DigestMismatchException.class, () -> layout.readBlob(d));
      assertTrue(shorter.getMessage().contains("shorter"), shorter.getMessage());

      Descriptor negative = Descriptor.of("application/octet-stream", d.digest(), -1);
      var neg = assertThrows(InvalidImageException.class, () -> layout.openBlob(negative));
      assertTrue(neg.getMessage().contains("must not be negative"));

      Descriptor absent = Descriptor.of("x", Digest.sha256("nothing".getBytes()), 7);
      var gone = assertThrows(BlobNotFoundException.class, () -> layout.openBlob(absent));
      assertTrue(gone.getMessage().contains(absent.digest().toString()));
    }
  }

  @Test
  void readingStopsAtTheDescriptorSize() throws IOException {
    try (OciLayout layout = OciLayout.create(tmp.resolve("img"))) {
      Descriptor d = layout.putBytes("application/octet-stream", "0123456789".getBytes());
      Files.writeString(layout.blobPath(d.digest()), "0123456789" + "x".repeat(1000));
      try (VerifiedInputStream in = layout.openBlob(d)) {
        byte[] buf = new byte[4096];
        assertEquals(10, in.read(buf));
        assertThrows(DigestMismatchException.class, () -> in.read(buf));
      }
    }
  }

  @Test
  void embeddedDataIsChecked() throws IOException {
    try (OciLayout layout = OciLayout.create(tmp.resolve("img"))) {
      byte[] data = "{}".getBytes();
      Descriptor good =
          new Descriptor("application/json", Digest.sha256(data), 2, null, null, data, null, null);
      assertArrayEquals(data, layout.readBlob(good));
      Descriptor bad =
          new Descriptor(
              "application/json", Digest.sha256(data), 2, null, null, "[]".getBytes(), null, null);
      assertThrows(DigestMismatchException.class, () -> layout.readBlob(bad));
      Descriptor wrongEmpty =
          Descriptor.of(MediaTypes.EMPTY_JSON, Digest.sha256("[]".getBytes()), 2);
      assertThrows(InvalidImageException.class, () -> layout.openBlob(wrongEmpty));
    }
  }

  /**
   * Buffers (read-only heap ones, as the HTTP client hands out, and direct ones) mixed with arrays
   * and single bytes, across the writer's staging buffer's size: the stored bytes and the digest
   * are those of the concatenation; a wrong expected digest still stores nothing.
   */
  @Test
  void bufferWritesMixWithArrayWritesInOrder() throws IOException {
    byte[] data = new byte[3 * BlobWriter.STAGING + 12345];
    new java.util.Random(3).nextBytes(data);
    Path dir = tmp.resolve("img");
    try (OciLayout layout = OciLayout.create(dir)) {
      for (boolean right : new boolean[] {false, true}) {
        try (BlobWriter w = layout.newBlob()) {
          java.util.Random random = new java.util.Random(5);
          int off = 0;
          for (int kind = 0; off < data.length; kind++) {
            int n = Math.min(data.length - off, 1 + random.nextInt(700_000));
            switch (kind % 4) {
              case 0 -> w.write(java.nio.ByteBuffer.wrap(data, off, n).asReadOnlyBuffer());
              case 1 -> {
                java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(n);
                direct.put(data, off, n).flip();
                w.write(direct);
                assertFalse(direct.hasRemaining(), "consumed");
              }
              case 2 -> {
                w.write(data[off]);
                n = 1;
              }
              default -> w.write(data, off, n);
            }
            off += n;
          }
          assertEquals(data.length, w.size());
          Digest expected = right ? Digest.sha256(data) : Digest.sha256(new byte[1]);
          if (right) {
            w.commit(expected, data.length);
          } else {
            assertThrows(DigestMismatchException.class, () -> w.commit(expected, data.length));
          }
        }
        if (!right) {
          assertEquals(List.of(), layout.listBlobs());
        }
      }
      Descriptor d = Descriptor.of(MediaTypes.LAYER_TAR, Digest.sha256(data), data.length);
      assertArrayEquals(data, Files.readAllBytes(layout.blobPath(d.digest())));
    }
  }

  @Test
  void abandonedWriterLeavesNothingAndCloseRemovesTempDir() throws IOException {
    Path dir = tmp.resolve("img");
    try (OciLayout layout = OciLayout.create(dir)) {
      try (BlobWriter w = layout.newBlob()) {
        w.write("partial".getBytes());
      }
      assertEquals(List.of(), layout.listBlobs());
    }
    LayoutChecks.assertValid(dir);
    LayoutChecks.assertNoTempDirs(dir);
  }

  @Test
  void updateIndexWritesAtomicallyAndSkipsNoOps() throws IOException {
    Path dir = tmp.resolve("img");
    try (OciLayout layout = OciLayout.create(dir)) {
      long before = Files.getLastModifiedTime(dir.resolve("index.json")).toMillis();
      byte[] original = Files.readAllBytes(dir.resolve("index.json"));
      layout.updateIndex(i -> i);
      assertArrayEquals(original, Files.readAllBytes(dir.resolve("index.json")));
      assertEquals(before, Files.getLastModifiedTime(dir.resolve("index.json")).toMillis());
      Descriptor d = layout.putJson(MediaTypes.IMAGE_INDEX, Index.empty());
      Index updated = layout.updateIndex(i -> i.withManifests(List.of(d)));
      assertEquals(updated, layout.readIndex());
    }
    LayoutChecks.assertValid(dir);
    LayoutChecks.assertNoTempDirs(dir);
  }

  @Test
  void aSecondWriterWaitsThenTimesOutWithAClearError() throws Exception {
    Path dir = tmp.resolve("img");
    OciLayout.create(dir).close();
    try (OciLayout holder = OciLayout.open(dir);
        OciLayout waiter = OciLayout.open(dir, Duration.ofMillis(200))) {
      CountDownLatch locked = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t =
          new Thread(
              () -> {
                try {
                  holder.withWriteLock(
                      () -> {
                        locked.countDown();
                        release.await();
                        return null;
                      });
                } catch (Throwable e) {
                  failure.set(e);
                }
              });
      t.start();
      locked.await();
      var e = assertThrows(LayoutLockedException.class, () -> waiter.updateIndex(i -> i));
      assertTrue(e.getMessage().contains("locked by another writer"), e.getMessage());
      release.countDown();
      t.join();
      assertEquals(null, failure.get());
      waiter.updateIndex(i -> i);
    }
  }

  @Test
  void cleanRemovesOnlyUnlockedTempDirs() throws IOException {
    Path dir = tmp.resolve("img");
    try (OciLayout layout = OciLayout.create(dir);
        OciLayout busy = OciLayout.open(dir)) {
      busy.putBytes("x", "busy".getBytes());
      Path stale = Files.createDirectory(dir.resolve(".umoci-stale"));
      Files.writeString(stale.resolve("blob-1"), "junk");
      Path other = Files.writeString(dir.resolve("notes.txt"), "keep me");
      List<Path> removed = layout.cleanStaleTempDirs();
      assertEquals(List.of(stale), removed);
      assertTrue(Files.exists(other));
      try (var s = Files.list(dir)) {
        assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith(".umoci-")).count());
      }
    }
  }

  @Test
  void cleanWithAMinimumAgeSparesRecentlyChangedTempDirs() throws IOException {
    Path dir = tmp.resolve("img");
    try (OciLayout layout = OciLayout.create(dir)) {
      Path old = Files.createDirectory(dir.resolve(".umoci-old"));
      Files.writeString(old.resolve("blob-1"), "partial");
      Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
      Path fresh = Files.createDirectory(dir.resolve(".umoci-fresh"));
      assertEquals(List.of(old), layout.cleanStaleTempDirs(Duration.ofMinutes(10)));
      assertTrue(Files.isDirectory(fresh), "changed a moment ago: maybe made and not yet locked");
      assertEquals(List.of(fresh), layout.cleanStaleTempDirs());
    }
  }

  @Test
  void putBlobStreams() throws IOException {
    try (OciLayout layout = OciLayout.create(tmp.resolve("img"))) {
      InputStream in = new java.io.ByteArrayInputStream(new byte[3 << 20]);
      WrittenBlob blob = layout.putBlob(in);
      assertEquals(3 << 20, blob.size());
      assertEquals(Digest.sha256(new byte[3 << 20]), blob.digest());
    }
  }
}
