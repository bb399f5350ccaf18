package dev.umoci.registry;

import static dev.umoci.testing.TestRegistry.insecure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.ops.BaseImageCache;
import dev.umoci.ops.BaseImages;
import dev.umoci.ops.BuildImage;
import dev.umoci.ops.ConfigUpdate;
import dev.umoci.ops.Copy;
import dev.umoci.ops.ImageRef;
import dev.umoci.ops.Timestamps;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.RegistryExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The base-image rule (layout or registry) and a build on a base pulled from a registry. */
class BaseImagesTest {
  @RegisterExtension static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir Path tmp;

  @Test
  void prefixesDecideElseAnExistingLayoutElseAReference() throws Exception {
    Path layout = tmp.resolve("base");
    TestImages.image(layout, "21", "amd64", "rule", 64);
    assertEquals(
        new BaseImages.LayoutSource(new ImageRef(layout, "21")),
        BaseImages.parse(layout + ":21", tmp, "<baseImage>"));
    assertEquals(
        new BaseImages.LayoutSource(new ImageRef(layout, "21")),
        BaseImages.parse("base:21", tmp, "<baseImage>"),
        "a relative path is taken from the project's directory, not the working directory");
    assertEquals(
        new BaseImages.LayoutSource(new ImageRef(tmp.resolve("missing"), "1")),
        BaseImages.parse("oci:missing:1", tmp, "<baseImage>"));
    assertEquals(
        new BaseImages.RegistrySource(Reference.parse("eclipse-temurin:21-jre")),
        BaseImages.parse("eclipse-temurin:21-jre", tmp, "<baseImage>"));
    assertEquals(
        new BaseImages.RegistrySource(Reference.parse("target/base:latest")),
        BaseImages.parse("docker://target/base", tmp, "<baseImage>"));
    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class,
            () -> BaseImages.parse("Target/Base:1", tmp, "<baseImage>"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "<baseImage> \"Target/Base:1\": not a local OCI layout ("
                    + tmp.resolve("Target/Base")
                    + " does not exist) and not a registry reference (invalid image reference"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("use oci:PATH[:TAG] or docker://REFERENCE to say which"));
  }

  /**
   * A value that reads as a path is never looked up in a registry: a mistyped layout under an
   * existing directory of the project would otherwise be fetched from the registry user of that
   * name.
   */
  @Test
  void aValueThatReadsAsAPathIsNeverAReference() throws Exception {
    Files.createDirectories(tmp.resolve("images"));
    for (String value : List.of("images/bsae:1", "./base:1", "../base:1", "/nonexistent/base:1")) {
      InvalidArgumentException e =
          assertThrows(
              InvalidArgumentException.class,
              () -> BaseImages.parse(value, tmp, "<baseImage>"),
              value);
      assertTrue(
          e.getMessage().contains("it reads as a path, so it is not looked up in a registry"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("(write docker://" + value + " for that)"), value);
    }
    assertEquals(
        new BaseImages.RegistrySource(Reference.parse("images/base:1")),
        BaseImages.parse("docker://images/base:1", tmp, "<baseImage>"));
    assertInstanceOf(
        BaseImages.RegistrySource.class, BaseImages.parse("other/base:1", tmp, "<baseImage>"));
  }

  /**
   * A base the registry serves as a Docker manifest list (what {@code docker push} makes): the
   * cache keeps it as served, so the base annotations carry the digests the registry serves, and
   * the image built on it is OCI (its base layers with OCI media types, the same blobs). A
   * digest-pinned base is reused from the cache offline.
   */
  @Test
  void buildOnADockerSchema2BaseIsOciAndRecordsTheServedDigest() throws Exception {
    Interop.requireTool(DockerSchema2CopyTest.SKOPEO);
    Path src = tmp.resolve("src");
    TestImages.image(src, "amd64", "amd64", "docker-base-amd64", 1024);
    TestImages.image(src, "arm64", "arm64", "docker-base-arm64", 1024);
    TestImages.index(src, "multi", List.of("amd64", "arm64"), List.of("amd64", "arm64"));
    ExternalTool.run(
            DockerSchema2CopyTest.SKOPEO,
            "--insecure-policy",
            "copy",
            "--all",
            "--format",
            "v2s2",
            "--dest-tls-verify=false",
            "oci:" + src + ":multi",
            "docker://" + registry.host() + "/base/docker:1")
        .assertSuccess();
    RegistryOptions options = insecure().build();
    Digest servedList;
    Descriptor servedAmd64;
    try (RegistryClient client = RegistryClient.connect(registry.host(), options)) {
      FetchedManifest list = client.getManifest("base/docker", "1");
      assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, list.mediaType());
      servedList = list.digest();
      servedAmd64 =
          dev.umoci.oci.spec.Json.parse(list.bytes(), dev.umoci.oci.spec.Index.class, "list")
              .manifests()
              .get(0);
      assertEquals(MediaTypes.DOCKER_MANIFEST_V2, servedAmd64.mediaType());
    }

    BaseImageCache cache = new BaseImageCache(tmp.resolve("cache"));
    PlatformChoice amd64 = PlatformChoice.of("linux", "amd64", null);
    String pinned = registry.host() + "/base/docker@" + servedList;
    BaseImages.Resolved base =
        BaseImages.resolve(
            BaseImages.parse(pinned, tmp, "<baseImage>"), amd64, false, options, cache, null);
    assertEquals(servedAmd64.digest(), base.digest(), "the digest the registry serves");

    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("app.jar"), "not really a jar");
    Path out = tmp.resolve("out");
    BuildImage.Result built =
        BuildImage.run(
            BuildImage.Options.builder(
                    new ImageRef(out, "app"), new Timestamps(Clock.systemUTC(), Optional.empty()))
                .base(base.image())
                .layers(
                    List.of(
                        new BuildImage.Layer(
                            "application",
                            List.of(new BuildImage.Entry(app.resolve("app.jar"), "/app/app.jar")))))
                .config(
                    ConfigUpdate.Options.builder(new ImageRef(out, "app"))
                        .manifestAnnotations(
                            List.of(BaseImages.ANNOTATION_BASE_DIGEST + "=" + base.digest()))
                        .build())
                .generate(BuildImage.rootOwnedLayers(null))
                .build());
    assertEquals(MediaTypes.IMAGE_MANIFEST, built.manifest().mediaType());
    LayoutChecks.assertValid(out);
    try (OciLayout l = OciLayout.open(out)) {
      Manifest m = ImageBlobs.manifest(l, References.resolve(l, "app"));
      assertEquals(MediaTypes.IMAGE_CONFIG, m.config().mediaType());
      assertEquals(3, m.layers().size());
      for (Descriptor layer : m.layers()) {
        assertEquals(MediaTypes.LAYER_TAR_GZIP, layer.mediaType());
      }
      assertEquals(
          servedAmd64.digest().toString(), m.annotations().get(BaseImages.ANNOTATION_BASE_DIGEST));
    }
    Path bundle = tmp.resolve("bundle");
    Interop.unpackWithDebianUmoci(out + ":app", bundle);
    assertEquals("amd64\n", Files.readString(bundle.resolve("rootfs/etc/arch")));
    assertTrue(Files.exists(bundle.resolve("rootfs/app/app.jar")));

    // Offline: the pinned base from the cache, and the other platform of the list not at all.
    BaseImageCache.Entry again = cache.resolve(Reference.parse(pinned), amd64, true, options, null);
    assertEquals(servedAmd64.digest(), again.descriptor().digest());
    assertThrows(
        dev.umoci.errors.ReferenceNotFoundException.class,
        () ->
            cache.resolve(
                Reference.parse(pinned),
                PlatformChoice.of("linux", "arm64", null),
                true,
                options,
                null));
  }

  @Test
  void buildOnARegistryBaseRecordsTheBaseInTheManifest() throws Exception {
    Path src = tmp.resolve("src");
    Digest baseManifest = TestImages.image(src, "21", "amd64", "java-base", 1024);
    RegistryOptions options = insecure().build();
    Copy.run(
        Copy.Options.builder("oci:" + src + ":21", "docker://" + registry.host() + "/base/jre:21")
            .registry(options)
            .build());

    BaseImageCache cache = new BaseImageCache(tmp.resolve("cache"));
    BaseImages.Resolved base =
        BaseImages.resolve(
            BaseImages.parse(registry.host() + "/base/jre:21", tmp, "<baseImage>"),
            PlatformChoice.of("linux", "amd64", null),
            false,
            options,
            cache,
            null);
    assertEquals(registry.host() + "/base/jre:21", base.name());
    assertEquals(baseManifest, base.digest());

    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("app.jar"), "not really a jar");
    Path out = tmp.resolve("out");
    Timestamps timestamps = new Timestamps(Clock.systemUTC(), Optional.empty());
    BuildImage.Result built =
        BuildImage.run(
            BuildImage.Options.builder(new ImageRef(out, "app"), timestamps)
                .base(base.image())
                .layers(
                    List.of(
                        new BuildImage.Layer(
                            "application",
                            List.of(new BuildImage.Entry(app.resolve("app.jar"), "/app/app.jar")))))
                .config(
                    ConfigUpdate.Options.builder(new ImageRef(out, "app"))
                        .manifestAnnotations(
                            List.of(
                                BaseImages.ANNOTATION_BASE_NAME + "=" + base.name(),
                                BaseImages.ANNOTATION_BASE_DIGEST + "=" + base.digest()))
                        .build())
                .generate(BuildImage.rootOwnedLayers(null))
                .build());
    LayoutChecks.assertTag(out, "app", built.manifest().digest());
    try (OciLayout l = OciLayout.open(out)) {
      Manifest m = ImageBlobs.manifest(l, References.resolve(l, "app"));
      assertEquals(
          registry.host() + "/base/jre:21", m.annotations().get(BaseImages.ANNOTATION_BASE_NAME));
      assertEquals(baseManifest.toString(), m.annotations().get(BaseImages.ANNOTATION_BASE_DIGEST));
      assertEquals(2 + 1, m.layers().size(), "the base's two layers and the application's");
      try (OciLayout c = OciLayout.open(cache.layout())) {
        Digest baseLayer = m.layers().get(0).digest();
        assertTrue(
            Files.isSameFile(c.blobPath(baseLayer), l.blobPath(baseLayer)),
            "base layers are linked from the cache, not copied");
        for (Descriptor layer : m.layers().subList(0, 2)) {
          assertTrue(
              Files.isRegularFile(
                  tmp.resolve("cache.verified")
                      .resolve(layer.digest().algorithm() + "-" + layer.digest().hex())),
              "the pull records the layers it verified, so builds link them unread");
        }
      }
    }
    assertInstanceOf(
        BaseImages.RegistrySource.class,
        BaseImages.parse("docker://" + registry.host() + "/base/jre:21", tmp, "x"));
  }

  @Test
  void pushImageSendsOnlyWhatChangedAndSetsEveryTag() throws Exception {
    Path src = tmp.resolve("src");
    Digest v1 = TestImages.image(src, "v1", "amd64", "push-op", 2048);
    RegistryOptions options = insecure().build();
    Reference to = Reference.parse(registry.host() + "/apps/pushed:1.0");
    dev.umoci.ops.PushImage.Result first =
        dev.umoci.ops.PushImage.run(
            dev.umoci.ops.PushImage.Options.of(new ImageRef(src, "v1"), to)
                .withExtraTags(List.of("latest"))
                .withRegistry(options));
    assertEquals(v1, first.push().digest());
    assertEquals(3, first.push().blobsUploaded());
    assertEquals(2, first.references().size());

    // A rebuild with one more layer sends that layer and the new config only.
    Path extra = Files.createDirectories(tmp.resolve("extra"));
    Files.writeString(extra.resolve("new.txt"), "changed classes");
    dev.umoci.testing.CliRunner.run("insert", "--image", src + ":v1", extra.toString(), "/app")
        .assertSuccess();
    dev.umoci.ops.PushImage.Result second =
        dev.umoci.ops.PushImage.run(
            dev.umoci.ops.PushImage.Options.of(new ImageRef(src, "v1"), to).withRegistry(options));
    assertEquals(2, second.push().blobsUploaded(), "the new layer and the new config");
    assertEquals(2, second.push().blobsSkipped(), "the two earlier layers");

    Path back = tmp.resolve("back");
    Copy.Result pulled =
        Copy.run(
            Copy.Options.builder(
                    "docker://" + registry.host() + "/apps/pushed:latest",
                    "oci:" + back + ":latest")
                .registry(options)
                .build());
    assertEquals(v1, pulled.descriptor().digest(), "the extra tag still names the first push");
  }
}
