package dev.umoci.mutate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.layer.Compression;
import dev.umoci.layer.TarBuilder;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.History;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.RootFs;
import dev.umoci.testing.LayoutChecks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImageMutatorTest {
  @TempDir Path tmp;

  static DescriptorPath emptyImage(OciLayout layout, String tag) throws IOException {
    Image image =
        new Image(
            "2020-01-01T00:00:00Z", "me", "amd64", "linux", null, null, null, null, null, null);
    Descriptor config = layout.putJson(MediaTypes.IMAGE_CONFIG, image);
    Descriptor manifest = layout.putJson(MediaTypes.IMAGE_MANIFEST, Manifest.of(config, List.of()));
    References.update(layout, tag, manifest);
    return DescriptorPath.of(References.resolve(layout, tag));
  }

  static byte[] tar() {
    return new TarBuilder()
        .dir("etc/")
        .mode(0755)
        .file("etc/hello.txt", "hello\n")
        .mode(0644)
        .build();
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void addLayerHashesPlainAndCompressedInOnePass(Compression compression) throws IOException {
    Path dir = tmp.resolve("img");
    byte[] plain = tar();
    try (OciLayout layout = OciLayout.create(dir)) {
      ImageMutator m = ImageMutator.load(layout, emptyImage(layout, "t"));
      History h = new History("2021-01-01T00:00:00Z", "test", "me", null, null);
      Descriptor layer =
          m.addLayer(new ByteArrayInputStream(plain), CompressionChoice.of(compression), h);
      assertEquals(compression.layerMediaType(), layer.mediaType());
      if (compression == Compression.NONE) {
        assertNull(layer.annotations().get(MediaTypes.ANNOTATION_UNCOMPRESSED_SIZE));
        assertEquals(Digest.sha256(plain), layer.digest());
      } else {
        assertEquals(
            Long.toString(plain.length),
            layer.annotations().get(MediaTypes.ANNOTATION_UNCOMPRESSED_SIZE));
      }
      try (InputStream in = compression.decompress(layout.openBlob(layer))) {
        assertArrayEquals(plain, in.readAllBytes());
      }
      DescriptorPath committed = m.commit();
      References.update(layout, "t", committed.root());
      Manifest manifest = ImageBlobs.manifest(layout, committed.descriptor());
      Image image = ImageBlobs.config(layout, manifest.config());
      assertEquals(List.of(layer), manifest.layers());
      assertEquals(List.of(Digest.sha256(plain)), image.rootfs().diffIds());
      assertEquals(List.of(h), image.history());
      assertEquals(MediaTypes.IMAGE_MANIFEST, manifest.mediaType());
      LayoutChecks.assertTag(dir, "t", committed.root().digest());
    }
    LayoutChecks.assertNoTempDirs(dir);
  }

  @Test
  void autoReusesTheLastCompressedLayerAndNeverNone() throws IOException {
    try (OciLayout layout = OciLayout.create(tmp.resolve("img"))) {
      ImageMutator m = ImageMutator.load(layout, emptyImage(layout, "t"));
      assertEquals(Compression.GZIP, m.resolve(CompressionChoice.AUTO));
      m.addLayer(new ByteArrayInputStream(tar()), CompressionChoice.of(Compression.ZSTD), null);
      m.addLayer(new ByteArrayInputStream(tar()), CompressionChoice.of(Compression.NONE), null);
      assertEquals(Compression.ZSTD, m.resolve(CompressionChoice.AUTO));
      Descriptor third = m.addLayer(new ByteArrayInputStream(tar()), CompressionChoice.AUTO, null);
      assertEquals(MediaTypes.LAYER_TAR_ZSTD, third.mediaType());
      assertEquals(3, m.image().rootfs().diffIds().size());
    }
  }

  /**
   * The layer reaches the disk while it is being written: once the generator has handed over more
   * than the compressor may hold in flight (2 blocks of 1 MiB per thread) plus slack, most of it is
   * already in the blob's temporary file. A writer that buffered the layer (plain or compressed)
   * until the generator returned would have nothing on disk at that point. The data is random, so
   * gzip cannot shrink it.
   */
  @Test
  void layerWriterStreamsWithoutBuffering() throws IOException {
    Path dir = tmp.resolve("img");
    try (OciLayout layout = OciLayout.create(dir)) {
      ImageMutator m = ImageMutator.load(layout, emptyImage(layout, "t"));
      int inFlight = 2 * Runtime.getRuntime().availableProcessors() + 16;
      int chunks = inFlight + 8;
      java.security.MessageDigest expected = Digest.newSha256();
      long[] onDiskWhileWriting = new long[1];
      Descriptor layer =
          m.addLayer(
              out -> {
                writeRandomMiB(out, chunks, 1, expected);
                onDiskWhileWriting[0] = tempBytes(dir);
              },
              CompressionChoice.of(Compression.GZIP),
              null);
      assertTrue(
          onDiskWhileWriting[0] >= 4L << 20,
          "only " + onDiskWhileWriting[0] + " bytes on disk after " + chunks + " MiB written");
      assertEquals(
          Long.toString((long) chunks << 20),
          layer.annotations().get(MediaTypes.ANNOTATION_UNCOMPRESSED_SIZE));
      assertEquals(Digest.ofSha256(expected.digest()), m.image().rootfs().diffIds().get(0));
    }
  }

  /** Heap of the child JVM in {@link #aLayerFarLargerThanTheHeapIsWritten}, in MiB. */
  static final int CHILD_HEAP_MIB = 32;

  /** Layer size written there: eight times that heap. */
  static final int LARGE_LAYER_MIB = 8 * CHILD_HEAP_MIB;

  /**
   * A layer eight times larger than the heap of the JVM writing it is stored whole: a writer that
   * held the layer (plain or compressed) in memory would fail with an OutOfMemoryError. The child
   * checks the DiffID and the uncompressed size it recorded; the parent checks the blob on disk
   * (random data, so gzip cannot make it smaller than the heap).
   */
  @Test
  void aLayerFarLargerThanTheHeapIsWritten() throws Exception {
    Path dir = tmp.resolve("large");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + CHILD_HEAP_MIB + "m",
                "-cp",
                System.getProperty("java.class.path"),
                LargeLayerWriter.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes());
    assertEquals(0, child.waitFor(), output);
    try (OciLayout layout = OciLayout.open(dir)) {
      Descriptor manifest = References.resolve(layout, "large");
      Descriptor layer = ImageBlobs.manifest(layout, manifest).layers().get(0);
      assertTrue(
          layer.size() > (long) LARGE_LAYER_MIB << 20,
          "blob of " + layer.size() + " bytes for " + LARGE_LAYER_MIB + " MiB of random data");
      assertEquals(layer.size(), Files.size(layout.blobPath(layer.digest())));
    }
  }

  /** Child JVM of {@link #aLayerFarLargerThanTheHeapIsWritten}: writes the layer, checks it. */
  public static final class LargeLayerWriter {
    public static void main(String[] args) throws IOException {
      Path dir = Path.of(args[0]);
      try (OciLayout layout = OciLayout.create(dir)) {
        ImageMutator m = ImageMutator.load(layout, emptyImage(layout, "large"));
        java.security.MessageDigest expected = Digest.newSha256();
        Descriptor layer =
            m.addLayer(
                out -> writeRandomMiB(out, LARGE_LAYER_MIB, 7, expected),
                CompressionChoice.of(Compression.GZIP),
                null);
        if (!Long.toString((long) LARGE_LAYER_MIB << 20)
            .equals(layer.annotations().get(MediaTypes.ANNOTATION_UNCOMPRESSED_SIZE))) {
          throw new IllegalStateException("uncompressed size: " + layer.annotations());
        }
        if (!Digest.ofSha256(expected.digest()).equals(m.image().rootfs().diffIds().get(0))) {
          throw new IllegalStateException("diff_id: " + m.image().rootfs().diffIds());
        }
        References.update(layout, "large", m.commit().root());
      }
    }
  }

  /**
   * Writes {@code mib} MiB of pseudo-random bytes (from {@code seed}; incompressible) to {@code
   * out}, one MiB at a time, adding them to {@code digest}.
   */
  static void writeRandomMiB(
      java.io.OutputStream out, int mib, long seed, java.security.MessageDigest digest)
      throws IOException {
    byte[] chunk = new byte[1 << 20];
    java.util.Random random = new java.util.Random(seed);
    for (int i = 0; i < mib; i++) {
      random.nextBytes(chunk);
      digest.update(chunk);
      out.write(chunk);
    }
  }

  /** Bytes in the layout's temporary files (blobs being written). */
  private static long tempBytes(Path layout) throws IOException {
    long total = 0;
    try (java.util.stream.Stream<Path> walk = Files.walk(layout)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (layout.relativize(p).toString().startsWith(OciLayout.TEMP_PREFIX)
            && Files.isRegularFile(p)) {
          total += Files.size(p);
        }
      }
    }
    return total;
  }

  @Test
  void commitRewritesParentIndexes() throws IOException {
    Path dir = tmp.resolve("img");
    try (OciLayout layout = OciLayout.create(dir)) {
      DescriptorPath base = emptyImage(layout, "m");
      Descriptor manifest = base.root().withAnnotations(null);
      Descriptor index =
          layout.putJson(MediaTypes.IMAGE_INDEX, Index.empty().withManifests(List.of(manifest)));
      References.update(layout, "idx", index);
      DescriptorPath path = References.resolveManifest(layout, "idx");
      ImageMutator m = ImageMutator.load(layout, path);
      m.setManifestAnnotations(java.util.Map.of("k", "v"));
      DescriptorPath committed = m.commit();
      References.update(layout, "idx", committed.root());
      DescriptorPath again = References.resolveManifest(layout, "idx");
      assertEquals(committed.descriptor().digest(), again.descriptor().digest());
      assertEquals("v", ImageBlobs.manifest(layout, again.descriptor()).annotations().get("k"));
      LayoutChecks.assertValid(dir);
    }
  }

  @Test
  void rootfsCannotBeChangedDirectly() throws IOException {
    try (OciLayout layout = OciLayout.create(tmp.resolve("img"))) {
      ImageMutator m = ImageMutator.load(layout, emptyImage(layout, "t"));
      Image changed = m.image().withRootFs(RootFs.layers(List.of(Digest.sha256(new byte[1]))));
      assertThrows(InvalidImageException.class, () -> m.setImage(changed));
    }
  }
}
