package dev.umoci.oci.casext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.AmbiguousReferenceException;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.ReferenceNotFoundException;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReferencesTest {
  @TempDir Path tmp;

  static Descriptor putImage(OciLayout layout, String author) throws IOException {
    Image image = new Image(null, author, "amd64", "linux", null, null, null, null, null, null);
    Descriptor config = layout.putJson(MediaTypes.IMAGE_CONFIG, image);
    return layout.putJson(MediaTypes.IMAGE_MANIFEST, Manifest.of(config, List.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"latest", "v1.0", "a--b", "x/y/z", "1:2@3+4", "A_b.c-d"})
  void validNames(String name) {
    assertTrue(ReferenceNames.isValid(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", "a-", "a//b", "a---b", "a b", "ä", "/a", "a/", "a..b"})
  void invalidNames(String name) {
    assertFalse(ReferenceNames.isValid(name));
    assertThrows(InvalidArgumentException.class, () -> ReferenceNames.require(name, "tag"));
  }

  @Test
  void updateResolveListDelete() throws IOException {
    Path dir = tmp.resolve("img");
    try (OciLayout layout = OciLayout.create(dir)) {
      Descriptor a = putImage(layout, "a");
      Descriptor b = putImage(layout, "b");
      References.update(layout, "one", a);
      References.update(layout, "two", b);
      References.update(layout, "one", b);
      assertEquals(List.of("two", "one"), References.list(layout));
      assertEquals(b.digest(), References.resolve(layout, "one").digest());
      assertEquals("one", References.resolve(layout, "one").refName());
      LayoutChecks.assertTag(dir, "two", b.digest());
      assertEquals(1, References.delete(layout, "one"));
      assertEquals(0, References.delete(layout, "one"));
      var e =
          assertThrows(ReferenceNotFoundException.class, () -> References.resolve(layout, "one"));
      assertEquals("tag \"one\" not found in layout " + dir, e.getMessage());
    }
    LayoutChecks.assertValid(dir);
    LayoutChecks.assertNoTempDirs(dir);
  }

  @Test
  void ambiguousTagsAreReportedAndReplacedTogether() throws IOException {
    try (OciLayout layout = OciLayout.create(tmp.resolve("img"))) {
      Descriptor a = putImage(layout, "a").withAnnotation(MediaTypes.ANNOTATION_REF_NAME, "t");
      Descriptor b = putImage(layout, "b").withAnnotation(MediaTypes.ANNOTATION_REF_NAME, "t");
      layout.updateIndex(i -> i.withManifests(List.of(a, b)));
      assertThrows(AmbiguousReferenceException.class, () -> References.resolve(layout, "t"));
      References.update(layout, "t", putImage(layout, "c"));
      assertEquals(1, layout.readIndex().manifests().size());
    }
  }

  @Test
  void resolveManifestFollowsNestedIndexes() throws IOException {
    try (OciLayout layout = OciLayout.create(tmp.resolve("img"))) {
      Descriptor m = putImage(layout, "a");
      Descriptor idx =
          layout.putJson(MediaTypes.IMAGE_INDEX, Index.empty().withManifests(List.of(m)));
      References.update(layout, "nested", idx);
      DescriptorPath path = References.resolveManifest(layout, "nested");
      assertEquals(m.digest(), path.descriptor().digest());
      assertEquals(idx.digest(), path.root().digest());
      assertEquals(2, path.walk().size());

      Descriptor config = layout.putJson(MediaTypes.IMAGE_CONFIG, "{}");
      References.update(layout, "cfg", config);
      assertThrows(InvalidImageException.class, () -> References.resolveManifest(layout, "cfg"));
    }
  }

  @Test
  void mediaTypeConfusionIsRefused() throws IOException {
    try (OciLayout layout = OciLayout.create(tmp.resolve("img"))) {
      Descriptor asIndex =
          layout.putBytes(
              MediaTypes.IMAGE_MANIFEST,
              ("{\"schemaVersion\":2,\"mediaType\":\""
                      + MediaTypes.IMAGE_INDEX
                      + "\",\"manifests\":[]}")
                  .getBytes());
      var e = assertThrows(InvalidImageException.class, () -> ImageBlobs.manifest(layout, asIndex));
      assertTrue(e.getMessage().startsWith("malicious manifest detected"), e.getMessage());
    }
  }

  @Test
  void concurrentWritersLoseNoTag() throws Exception {
    Path dir = tmp.resolve("img");
    List<Descriptor> images = new ArrayList<>();
    try (OciLayout layout = OciLayout.create(dir)) {
      for (int i = 0; i < 4; i++) {
        images.add(putImage(layout, "author" + i));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> futures = new ArrayList<>();
    List<String> expected = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                // Each thread opens its own layout, like a separate process would.
                try (OciLayout layout = OciLayout.open(dir)) {
                  for (int i = 0; i < 25; i++) {
                    String tag = "t" + thread + "-" + i;
                    References.update(layout, tag, images.get(thread));
                    expected.add(tag);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    try (OciLayout layout = OciLayout.open(dir)) {
      List<String> tags = new ArrayList<>(References.list(layout));
      Collections.sort(tags);
      Collections.sort(expected);
      assertEquals(expected, tags);
    }
    LayoutChecks.assertValid(dir);
    LayoutChecks.assertNoTempDirs(dir);
  }
}
