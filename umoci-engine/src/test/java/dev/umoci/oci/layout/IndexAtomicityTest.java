package dev.umoci.oci.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Index;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * index.json is replaced atomically: a reader racing the writer sees the old file or the new one,
 * never a truncated or half-written one. The writer alternates between a small and a large index
 * (hundreds of KB, many write calls each), so a writer that truncated and rewrote in place would be
 * seen mid-write by a reader reading in a loop.
 */
class IndexAtomicityTest {
  @TempDir Path tmp;

  @Test
  void aRacingReaderSeesOnlyWholeIndexes() throws Exception {
    Path dir = tmp.resolve("img");
    try (OciLayout layout = OciLayout.create(dir)) {
      Descriptor blob = layout.putBytes("application/octet-stream", "x".getBytes());
      List<Descriptor> many = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        many.add(
            blob.withAnnotations(java.util.Map.of("org.opencontainers.image.ref.name", "t" + i)));
      }
      Index big = Index.empty().withManifests(many);
      Index small = Index.empty().withManifests(List.of(many.get(0)));
      Path index = dir.resolve(OciLayout.INDEX_FILE);
      layout.updateIndex(i -> big);
      byte[] bigBytes = Files.readAllBytes(index);
      layout.updateIndex(i -> small);
      byte[] smallBytes = Files.readAllBytes(index);
      assertTrue(bigBytes.length > 100_000, "the large index spans many writes");

      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger reads = new AtomicInteger();
      AtomicReference<String> torn = new AtomicReference<>();
      Thread reader =
          new Thread(
              () -> {
                while (!done.get() && torn.get() == null) {
                  try {
                    byte[] seen = Files.readAllBytes(index);
                    if (!Arrays.equals(seen, bigBytes) && !Arrays.equals(seen, smallBytes)) {
                      torn.set("read " + seen.length + " bytes that are neither index");
                    }
                    reads.incrementAndGet();
                  } catch (NoSuchFileException e) {
                    torn.set("index.json was missing for a moment");
                  } catch (Exception e) {
                    torn.set(e.toString());
                  }
                }
              });
      reader.start();
      try {
        for (int round = 0; round < 60 && torn.get() == null; round++) {
          layout.updateIndex(i -> big);
          layout.updateIndex(i -> small);
        }
      } finally {
        done.set(true);
        reader.join();
      }
      assertNull(torn.get());
      assertTrue(reads.get() > 0, "the reader ran");
      assertEquals(small, layout.readIndex());
    }
  }
}
