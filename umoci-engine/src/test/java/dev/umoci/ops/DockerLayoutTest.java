package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.layer.Compression;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.Platform;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layout holding Docker schema 2 blobs (manifest list, manifest, config and layer types, written
 * here directly, as another tool or an older version of this one leaves them) is read like its OCI
 * equivalent; what a command writes from it is OCI.
 */
class DockerLayoutTest {
  static final String UMOCI = "/usr/bin/umoci";
  // Spelled out here (not MediaTypes' constants) as Docker's image-manifest-2 spec names them.
  static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
  static final String DOCKER_LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  @TempDir Path tmp;

  /** One image twice: tag {@code oci} with OCI media types, tag {@code docker} with Docker's. */
  private Path layout() throws Exception {
    Path layout = tmp.resolve("layout");
    byte[] tar = UnpackFailureTest.tar();
    new TestImages().layer(tar, Compression.GZIP).write(layout, "oci");
    docker(new TestImages().layer(tar, Compression.GZIP)).write(layout, "docker");
    return layout;
  }

  private static TestImages docker(TestImages image) {
    return image
        .layerMediaType(DOCKER_LAYER_TAR_GZIP)
        .configMediaType(DOCKER_CONFIG)
        .manifestMediaType(MediaTypes.DOCKER_MANIFEST_V2);
  }

  private static CliRunner.Result ok(String... args) {
    CliRunner.Result r = CliRunner.run(args);
    assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.stderr());
    return r;
  }

  @Test
  void statUnpackListAndGcReadDockerSchema2() throws Exception {
    Path layout = layout();
    String stat = ok("stat", "--json", "--image", layout + ":docker").stdout();
    assertTrue(stat.contains(MediaTypes.DOCKER_MANIFEST_V2), stat);
    assertTrue(stat.contains(DOCKER_LAYER_TAR_GZIP), stat);

    ok("unpack", "--image", layout + ":docker", tmp.resolve("docker").toString());
    ok("unpack", "--image", layout + ":oci", tmp.resolve("oci").toString());
    Map<String, String> tree = LayoutChecks.snapshot(tmp.resolve("docker/rootfs"));
    assertTrue(tree.containsKey("etc/file49"), tree.toString());
    assertEquals(LayoutChecks.snapshot(tmp.resolve("oci/rootfs")), tree);
    ok("raw", "unpack", "--image", layout + ":docker", tmp.resolve("raw").toString());
    assertEquals(tree, LayoutChecks.snapshot(tmp.resolve("raw")));

    assertEquals(
        List.of("oci", "docker"),
        ok("ls", "--layout", layout.toString()).stdout().lines().toList());
    Map<String, String> before = LayoutChecks.snapshot(layout);
    ok("gc", "--layout", layout.toString());
    assertEquals(before, LayoutChecks.snapshot(layout), "gc keeps every blob the tags reach");
    LayoutChecks.assertValid(layout);
  }

  @Test
  void configAndRepackOfADockerManifestWriteOciOnes() throws Exception {
    Path layout = layout();
    Manifest docker = manifest(layout, "docker");
    ok("config", "--image", layout + ":docker", "--tag", "configured", "--config.env", "A=b");
    Path bundle = tmp.resolve("bundle");
    ok("unpack", "--image", layout + ":docker", bundle.toString());
    Files.writeString(bundle.resolve("rootfs/etc/added"), "added\n");
    ok("repack", "--image", layout + ":repacked", bundle.toString());

    for (String tag : List.of("configured", "repacked")) {
      Descriptor top = tagged(layout, tag);
      assertEquals(MediaTypes.IMAGE_MANIFEST, top.mediaType(), tag);
      Manifest m = manifest(layout, tag);
      assertEquals(MediaTypes.IMAGE_MANIFEST, m.mediaType(), tag);
      assertEquals(MediaTypes.IMAGE_CONFIG, m.config().mediaType(), tag);
      Descriptor base = m.layers().get(0);
      assertEquals(MediaTypes.LAYER_TAR_GZIP, base.mediaType(), tag);
      assertEquals(docker.layers().get(0).digest(), base.digest(), "the layer blob is kept");
    }
    assertEquals(2, manifest(layout, "repacked").layers().size());
    LayoutChecks.assertValid(layout);

    // Debian's umoci, which reads no Docker media type, reads what came out.
    Interop.requireTool(UMOCI);
    Path goBundle = tmp.resolve("go");
    ExternalTool.run(
            UMOCI, "unpack", "--rootless", "--image", layout + ":repacked", goBundle.toString())
        .assertSuccess();
    assertEquals("added\n", Files.readString(goBundle.resolve("rootfs/etc/added")));
  }

  @Test
  void dockerManifestListIsReadAsAnIndexAndRewrittenAsOne() throws Exception {
    Path layout = tmp.resolve("layout");
    byte[] tar = UnpackFailureTest.tar();
    Descriptor amd = docker(new TestImages().layer(tar, Compression.GZIP)).write(layout, "amd");
    Descriptor arm =
        docker(new TestImages().layer(tar, Compression.NONE).architecture("arm64"))
            .layerMediaType(DOCKER_LAYER_TAR)
            .write(layout, "arm");
    Index list =
        new Index(
            2,
            MediaTypes.DOCKER_MANIFEST_LIST,
            null,
            List.of(withPlatform(amd, "amd64"), withPlatform(arm, "arm64")),
            null,
            null);
    try (OciLayout l = OciLayout.open(layout)) {
      References.update(l, "list", l.putJson(MediaTypes.DOCKER_MANIFEST_LIST, list));
    }
    for (String arch : List.of("amd64", "arm64")) {
      Path bundle = tmp.resolve("bundle-" + arch);
      ok("unpack", "--platform", "linux/" + arch, "--image", layout + ":list", bundle.toString());
      assertTrue(Files.exists(bundle.resolve("rootfs/etc/file49")), arch);
    }

    // Changing the arm64 image rewrites the list as an OCI index; the untouched amd64 entry keeps
    // the Docker type its blob has.
    ok("config", "--platform", "linux/arm64", "--image", layout + ":list", "--config.env", "A=b");
    Descriptor top = tagged(layout, "list");
    assertEquals(MediaTypes.IMAGE_INDEX, top.mediaType());
    try (OciLayout l = OciLayout.open(layout)) {
      List<Descriptor> entries = ImageBlobs.index(l, top).manifests();
      assertEquals(withPlatform(amd, "amd64"), entries.get(0));
      assertEquals(MediaTypes.IMAGE_MANIFEST, entries.get(1).mediaType());
      assertEquals(
          MediaTypes.LAYER_TAR, ImageBlobs.manifest(l, entries.get(1)).layers().get(0).mediaType());
    }
    for (String arch : List.of("amd64", "arm64")) {
      ok("stat", "--platform", "linux/" + arch, "--image", layout + ":list");
    }
    LayoutChecks.assertValid(layout);
  }

  private static Descriptor withPlatform(Descriptor d, String arch) {
    return new Descriptor(
        d.mediaType(),
        d.digest(),
        d.size(),
        null,
        null,
        null,
        new Platform(arch, "linux", null, null, null, null),
        null);
  }

  private static Descriptor tagged(Path layout, String tag) throws Exception {
    try (OciLayout l = OciLayout.open(layout)) {
      return References.resolve(l, tag);
    }
  }

  private static Manifest manifest(Path layout, String tag) throws Exception {
    try (OciLayout l = OciLayout.open(layout)) {
      return ImageBlobs.manifest(l, References.resolve(l, tag));
    }
  }
}
