package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.PlatformNotFoundException;
import dev.umoci.fs.IdMapping;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.PlatformSpecifier;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.PlatformIndexes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MultiPlatformBuild} and {@link BaseImages#resolveFor} on a local two-platform base (an
 * index over a linux/amd64 and a linux/arm64 image, each with its own layer), made here with {@link
 * BuildImage}: one image per platform on that platform's base, the application layers shared.
 */
class MultiPlatformBuildTest {
  static final Instant WHEN = Instant.parse("2024-01-01T00:00:00Z");
  static final PlatformSpecifier AMD64 = new PlatformSpecifier("linux", "amd64", null);
  static final PlatformSpecifier ARM64 = new PlatformSpecifier("linux", "arm64", null);

  @TempDir Path tmp;
  Path appJar;

  @BeforeEach
  void setUp() throws IOException {
    appJar = tmp.resolve("app.jar");
    Files.writeString(appJar, "the application");
  }

  static GenerateOptions rootOwned() {
    return new GenerateOptions(IdMapping.identity(), WHEN, 0, 0, false);
  }

  /** An image of one layer ({@code /etc/arch} says the architecture) for linux/{@code arch}. */
  static Descriptor platformImage(Path layout, String arch, Path scratch) throws IOException {
    Path file = Files.createDirectories(scratch.resolve(arch)).resolve("arch");
    Files.writeString(file, arch + "\n");
    BuildImage.run(
        BuildImage.Options.builder(new ImageRef(layout, arch), Timestamps.fixed(WHEN))
            .platform(new HostPlatform("linux", arch, null))
            .layers(
                List.of(
                    new BuildImage.Layer(
                        "base " + arch, List.of(new BuildImage.Entry(file, "/etc/arch")))))
            .compression(CompressionChoice.AUTO)
            .generate(rootOwned())
            .build());
    try (OciLayout l = OciLayout.open(layout)) {
      return References.resolve(l, arch);
    }
  }

  /**
   * Tags {@code tag} as an index over images (each tagged with its arch) for each of {@code archs}.
   */
  static Descriptor platformIndex(Path layout, String tag, List<String> archs, Path scratch)
      throws IOException {
    for (String arch : archs) {
      platformImage(layout, arch, scratch);
    }
    return PlatformIndexes.tag(layout, tag, archs, archs);
  }

  BuildImage.Options common(Path layout) {
    return BuildImage.Options.builder(new ImageRef(layout, "1.0"), Timestamps.fixed(WHEN))
        .deletions(List.of("/etc/motd"))
        .layers(
            List.of(
                new BuildImage.Layer(
                    "application", List.of(new BuildImage.Entry(appJar, "/app/app.jar")))))
        .history(HistoryOptions.defaults())
        .compression(CompressionChoice.AUTO)
        .generate(rootOwned())
        .build();
  }

  ConfigUpdate.Options config(Path layout, String baseDigest) {
    return ConfigUpdate.Options.builder(new ImageRef(layout, "unused"))
        .entrypoint(List.of("java", "-cp", "/app/app.jar", "Main"))
        .manifestAnnotations(List.of(BaseImages.ANNOTATION_BASE_DIGEST + "=" + baseDigest))
        .build();
  }

  static Index index(Path layout, Descriptor d) throws IOException {
    try (OciLayout l = OciLayout.open(layout)) {
      return ImageBlobs.index(l, d);
    }
  }

  static Manifest manifest(Path layout, Descriptor d) throws IOException {
    try (OciLayout l = OciLayout.open(layout)) {
      return ImageBlobs.manifest(l, d);
    }
  }

  static Image config(Path layout, Descriptor d) throws IOException {
    try (OciLayout l = OciLayout.open(layout)) {
      return ImageBlobs.imageConfig(l, d, ImageBlobs.manifest(l, d));
    }
  }

  @Test
  void oneImagePerPlatformOnItsBaseWithTheApplicationLayersShared() throws Exception {
    Path baseLayout = tmp.resolve("base");
    platformIndex(baseLayout, "multi", List.of("amd64", "arm64"), tmp.resolve("src"));
    Manifest amdBase = manifest(baseLayout, tagged(baseLayout, "amd64"));
    Manifest armBase = manifest(baseLayout, tagged(baseLayout, "arm64"));
    assertNotEquals(amdBase.layers(), armBase.layers());

    Path out = tmp.resolve("out");
    BaseImages.Source source = BaseImages.parse("oci:" + baseLayout + ":multi", tmp, "base");
    List<MultiPlatformBuild.PlatformImage> images = new ArrayList<>();
    for (PlatformSpecifier p : List.of(AMD64, ARM64)) {
      BaseImages.Resolved base =
          BaseImages.resolveFor(source, "base:multi", p, true, null, null, null);
      images.add(
          new MultiPlatformBuild.PlatformImage(
              p, base.image(), config(out, base.digest().toString())));
    }
    MultiPlatformBuild.Result result =
        MultiPlatformBuild.run(new MultiPlatformBuild.Options(common(out), images));

    LayoutChecks.assertValid(out);
    LayoutChecks.assertNoTempDirs(out);
    LayoutChecks.assertTag(out, "1.0", result.index().digest());
    assertEquals(MediaTypes.IMAGE_INDEX, result.index().mediaType());
    Index index = index(out, result.index());
    assertEquals(2, index.manifests().size());
    assertEquals(result.manifests(), index.manifests());
    assertEquals(2, result.addedLayers().size(), "whiteouts and application");

    List<Manifest> bases = List.of(amdBase, armBase);
    List<String> archs = List.of("amd64", "arm64");
    for (int i = 0; i < 2; i++) {
      Descriptor entry = index.manifests().get(i);
      assertEquals(archs.get(i), entry.platform().architecture());
      assertEquals("linux", entry.platform().os());
      Manifest m = manifest(out, entry);
      List<Descriptor> expected = new ArrayList<>(bases.get(i).layers());
      expected.addAll(result.addedLayers());
      assertEquals(expected, m.layers(), "the platform's base layers, then the shared ones");
      Image c = config(out, entry);
      assertEquals(archs.get(i), c.architecture());
      assertEquals(List.of("java", "-cp", "/app/app.jar", "Main"), c.config().entrypoint());
      assertEquals(3, c.rootfs().diffIds().size());
      assertEquals(
          List.of("base " + archs.get(i), "umoci build: delete", "application"),
          c.history().stream().map(h -> h.createdBy()).toList());
      assertEquals(
          images.get(i).config().manifestAnnotations().get(0),
          BaseImages.ANNOTATION_BASE_DIGEST
              + "="
              + m.annotations().get(BaseImages.ANNOTATION_BASE_DIGEST));
    }
    assertEquals(
        config(out, index.manifests().get(0)).rootfs().diffIds().subList(1, 3),
        config(out, index.manifests().get(1)).rootfs().diffIds().subList(1, 3));

    // The tag names an index: the one-platform operations choose in it.
    Image arm =
        StatImage.run(new StatImage.Options(new ImageRef(out, "1.0").withPlatform(ARM64))).image();
    assertEquals("arm64", arm.architecture());
  }

  @Test
  void sameInputsGiveTheSameIndex() throws Exception {
    Path baseLayout = tmp.resolve("base");
    platformIndex(baseLayout, "multi", List.of("amd64", "arm64"), tmp.resolve("src"));
    List<Descriptor> indexes = new ArrayList<>();
    for (String name : List.of("one", "two")) {
      Path out = tmp.resolve(name);
      List<MultiPlatformBuild.PlatformImage> images = new ArrayList<>();
      for (PlatformSpecifier p : List.of(AMD64, ARM64)) {
        images.add(
            new MultiPlatformBuild.PlatformImage(
                p, new ImageRef(baseLayout, "multi").withPlatform(p), null));
      }
      indexes.add(
          MultiPlatformBuild.run(new MultiPlatformBuild.Options(common(out), images)).index());
    }
    assertEquals(indexes.get(0).digest(), indexes.get(1).digest());
  }

  @Test
  void emptyBasesRecordEachPlatform() throws Exception {
    Path out = tmp.resolve("out");
    PlatformSpecifier armV7 = new PlatformSpecifier("linux", "arm", "v7");
    MultiPlatformBuild.Result result =
        MultiPlatformBuild.run(
            new MultiPlatformBuild.Options(
                common(out),
                List.of(
                    new MultiPlatformBuild.PlatformImage(AMD64, null, null),
                    new MultiPlatformBuild.PlatformImage(armV7, null, null))));
    LayoutChecks.assertValid(out);
    Index index = index(out, result.index());
    assertEquals(
        List.of("linux/amd64", "linux/arm/v7"),
        index.manifests().stream().map(d -> PlatformSpecifier.describe(d.platform())).toList());
    assertEquals("v7", config(out, index.manifests().get(1)).variant());
    assertEquals(
        manifest(out, index.manifests().get(0)).layers(),
        manifest(out, index.manifests().get(1)).layers());
  }

  @Test
  void aBaseWithoutThePlatformFailsNamingThePlatformAndTheBase() throws Exception {
    Path baseLayout = tmp.resolve("base");
    platformIndex(baseLayout, "multi", List.of("amd64", "arm64"), tmp.resolve("src"));
    BaseImages.Source index = BaseImages.parse("oci:" + baseLayout + ":multi", tmp, "base");
    PlatformNotFoundException e =
        assertThrows(
            PlatformNotFoundException.class,
            () ->
                BaseImages.resolveFor(
                    index,
                    "my-base",
                    new PlatformSpecifier("linux", "s390x", null),
                    true,
                    null,
                    null,
                    null));
    assertEquals(
        "base image my-base has no image for platform linux/s390x (it has linux/amd64,"
            + " linux/arm64)",
        e.getMessage());

    BaseImages.Source single = BaseImages.parse("oci:" + baseLayout + ":amd64", tmp, "base");
    assertEquals(
        "base image single has no image for platform linux/arm64 (it has one image, for"
            + " linux/amd64)",
        assertThrows(
                PlatformNotFoundException.class,
                () -> BaseImages.resolveFor(single, "single", ARM64, true, null, null, null))
            .getMessage());
    assertEquals(
        tagged(baseLayout, "amd64").digest(),
        BaseImages.resolveFor(single, "single", AMD64, true, null, null, null).digest());
  }

  @Test
  void aPlatformGivenTwiceIsRefusedBeforeAnythingIsWritten() {
    Path out = tmp.resolve("out");
    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class,
            () ->
                MultiPlatformBuild.run(
                    new MultiPlatformBuild.Options(
                        common(out),
                        List.of(
                            new MultiPlatformBuild.PlatformImage(AMD64, null, null),
                            new MultiPlatformBuild.PlatformImage(AMD64, null, null)))));
    assertEquals("platforms: linux/amd64 is given twice", e.getMessage());
    assertTrue(!Files.exists(out));
  }

  static Descriptor tagged(Path layout, String tag) throws IOException {
    try (OciLayout l = OciLayout.open(layout)) {
      return References.resolve(l, tag);
    }
  }
}
