package dev.umoci.oci.casext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.BlobNotFoundException;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  @TempDir Path tmp;

  @Test
  void removesExactlyTheUnreachableBlobs() throws IOException {
    Path dir = tmp.resolve("img");
    Set<Digest> before;
    Descriptor garbage1;
    Descriptor garbageManifest;
    try (OciLayout layout = OciLayout.create(dir)) {
      Descriptor layer = layout.putBytes(MediaTypes.LAYER_TAR, "layer".getBytes());
      Descriptor subjectTarget = layout.putBytes("application/octet-stream", "subj".getBytes());
      Descriptor config = layout.putJson(MediaTypes.IMAGE_CONFIG, "{}");
      Manifest withSubject =
          new Manifest(
              2, MediaTypes.IMAGE_MANIFEST, null, config, List.of(layer), subjectTarget, null);
      Descriptor tagged = layout.putJson(MediaTypes.IMAGE_MANIFEST, withSubject);
      Descriptor untaggedManifest =
          layout.putJson(
              MediaTypes.IMAGE_MANIFEST,
              Manifest.of(layout.putJson(MediaTypes.IMAGE_CONFIG, "{\"a\":1}"), List.of()));
      Descriptor nestedIndex =
          layout.putJson(
              MediaTypes.IMAGE_INDEX, Index.empty().withManifests(List.of(untaggedManifest)));
      garbage1 = layout.putBytes("application/octet-stream", "junk1".getBytes());
      garbageManifest =
          layout.putJson(
              MediaTypes.IMAGE_MANIFEST,
              Manifest.of(layout.putJson(MediaTypes.IMAGE_CONFIG, "{\"b\":2}"), List.of()));
      References.update(layout, "tagged", tagged);
      layout.updateIndex(
          i -> {
            var list = new java.util.ArrayList<>(i.manifests());
            list.add(nestedIndex);
            return i.withManifests(list);
          });
      before = new TreeSet<>(layout.listBlobs());
    }
    Path stale = Files.createDirectory(dir.resolve(".umoci-old"));
    Path foreign = Files.writeString(dir.resolve("README"), "mine");
    try (OciLayout layout = OciLayout.openExclusive(dir)) {
      GarbageCollector.Result result = GarbageCollector.collect(layout);

      Set<Digest> expectedGone = new TreeSet<>();
      expectedGone.add(garbage1.digest());
      expectedGone.add(garbageManifest.digest());
      expectedGone.add(Digest.sha256("\"{\\\"b\\\":2}\"".getBytes()));
      assertEquals(expectedGone, new TreeSet<>(result.removedBlobs()));
      Set<Digest> after = new TreeSet<>(layout.listBlobs());
      before.removeAll(expectedGone);
      assertEquals(before, after);
      assertEquals(List.of(stale), result.removedTempDirs());
      assertTrue(Files.exists(foreign));
      Files.delete(foreign);
    }
    LayoutChecks.assertValid(dir);
    LayoutChecks.assertNoTempDirs(dir);
  }

  @Test
  void aBrokenGraphDeletesNothing() throws IOException {
    Path dir = tmp.resolve("img");
    Descriptor junk;
    try (OciLayout layout = OciLayout.create(dir)) {
      Descriptor missing =
          Descriptor.of(MediaTypes.IMAGE_MANIFEST, Digest.sha256("gone".getBytes()), 4);
      layout.updateIndex(i -> i.withManifests(List.of(missing)));
      junk = layout.putBytes("x", "junk".getBytes());
    }
    try (OciLayout layout = OciLayout.openExclusive(dir)) {
      assertThrows(BlobNotFoundException.class, () -> GarbageCollector.collect(layout));
      assertTrue(layout.hasBlob(junk.digest()));
    }
  }

  @Test
  void refusesALayoutOpenedShared() throws IOException {
    try (OciLayout layout = OciLayout.create(tmp.resolve("img"))) {
      assertThrows(IllegalStateException.class, () -> GarbageCollector.collect(layout));
    }
  }
}
