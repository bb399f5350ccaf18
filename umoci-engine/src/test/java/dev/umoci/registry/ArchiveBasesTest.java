package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.PlatformSpecifier;
import dev.umoci.ops.BaseImageCache;
import dev.umoci.ops.BaseImages;
import dev.umoci.ops.CopyLocation;
import dev.umoci.ops.ImageRef;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base images from archives ({@code oci-archive:}, {@code docker-archive:}, Jib's {@code tar://}):
 * parsed by prefix, imported into the per-user cache once per archive content, a docker archive's
 * layers compressed, an OCI archive's image kept as it is; a broken archive leaves the cache as it
 * was.
 */
class ArchiveBasesTest {
  private static final String WHAT = "<baseImage>";

  @TempDir Path tmp;

  @Test
  void archivesAreNamedByPrefixTakenFromTheProjectAndMustExist() throws Exception {
    Files.writeString(tmp.resolve("base.tar"), "archive");
    assertEquals(
        new BaseImages.ArchiveSource(
            new CopyLocation.OciArchiveFile(tmp.resolve("base.tar"), "21-jre")),
        BaseImages.parse("oci-archive:base.tar:21-jre", tmp, WHAT));
    assertEquals(
        new BaseImages.ArchiveSource(
            new CopyLocation.DockerArchiveFile(tmp.resolve("base.tar"), "team/base:1")),
        BaseImages.parse("docker-archive:base.tar:team/base:1", tmp, WHAT));
    assertEquals(
        new BaseImages.ArchiveSource(
            new CopyLocation.DockerArchiveFile(tmp.resolve("base.tar"), null)),
        BaseImages.parse("tar://" + tmp.resolve("base.tar"), Path.of("/elsewhere"), WHAT),
        "Jib's tar:// is a docker save tar");

    InvalidArgumentException missing =
        assertThrows(
            InvalidArgumentException.class,
            () -> BaseImages.parse("oci-archive:missing.tar", tmp, WHAT));
    assertEquals(
        "<baseImage> \"oci-archive:missing.tar\": archive "
            + tmp.resolve("missing.tar")
            + " does not exist",
        missing.getMessage());
    Files.createDirectories(tmp.resolve("dir.tar"));
    InvalidArgumentException directory =
        assertThrows(
            InvalidArgumentException.class, () -> BaseImages.parse("tar://dir.tar", tmp, WHAT));
    assertTrue(directory.getMessage().endsWith(" is not a regular file"), directory.getMessage());
    InvalidArgumentException empty =
        assertThrows(InvalidArgumentException.class, () -> BaseImages.parse("tar://", tmp, WHAT));
    assertEquals("invalid <baseImage> \"tar://\": archive path is empty", empty.getMessage());
  }

  /**
   * A {@code docker save} tar (uncompressed layers): imported without any network (offline), its
   * layers gzip-compressed over the same config and diff_ids; the second build only hashes it, and
   * a changed archive is imported anew.
   */
  @Test
  void aDockerArchiveIsImportedOnceWithItsLayersCompressed() throws Exception {
    Path src = tmp.resolve("src");
    TestImages.image(src, "v1", "amd64", "docker-archive-base", 4096);
    Path archive = tmp.resolve("base.tar");
    CliRunner.run("copy", "oci:" + src + ":v1", "docker-archive:" + archive + ":team/base:1")
        .assertSuccess();
    Path cacheDir = tmp.resolve("cache");
    BaseImageCache cache = new BaseImageCache(cacheDir);

    BaseImages.Resolved base =
        BaseImages.resolve(
            BaseImages.parse("docker-archive:base.tar", tmp, WHAT),
            PlatformChoice.of("linux", "amd64", null),
            true,
            RegistryOptions.builder().build(),
            cache,
            null);
    assertNull(base.name(), "an archive is no registry reference");
    LayoutChecks.assertValid(cacheDir);
    Manifest original;
    Image originalConfig;
    try (OciLayout l = OciLayout.open(src)) {
      Descriptor d = References.resolve(l, "v1");
      original = ImageBlobs.manifest(l, d);
      originalConfig = ImageBlobs.imageConfig(l, d, original);
    }
    try (OciLayout l = OciLayout.open(cacheDir)) {
      Descriptor d = References.resolveManifest(l, base.image().tag()).descriptor();
      assertEquals(base.digest(), d.digest());
      Manifest m = ImageBlobs.manifest(l, d);
      assertEquals(original.config().digest(), m.config().digest(), "the same config bytes");
      assertEquals(2, m.layers().size());
      for (Descriptor layer : m.layers()) {
        assertEquals(MediaTypes.LAYER_TAR_GZIP, layer.mediaType());
      }
      assertEquals(
          originalConfig.rootfs().diffIds(), ImageBlobs.imageConfig(l, d, m).rootfs().diffIds());
      assertTrue(
          base.image().tag().startsWith("archive+docker+sha256-"), "tagged by archive content");
    }
    Path bundle = tmp.resolve("bundle");
    Interop.unpackWithDebianUmoci(cacheDir + ":" + base.image().tag(), bundle);
    assertEquals(
        "hello from docker-archive-base\n", Files.readString(bundle.resolve("rootfs/etc/hello")));

    BaseImageCache.Entry again = cache.resolveArchive(archiveOf(archive), Map.of());
    assertFalse(again.pulled(), "the same archive content is taken from the cache");
    assertEquals(base.digest(), again.descriptor().digest());

    TestImages.image(src, "v2", "amd64", "docker-archive-base-2", 4096);
    CliRunner.run("copy", "oci:" + src + ":v2", "docker-archive:" + archive + ":team/base:1")
        .assertSuccess();
    BaseImageCache.Entry changed = cache.resolveArchive(archiveOf(archive), Map.of());
    assertTrue(changed.pulled(), "a changed archive is imported again");
    assertNotEquals(base.digest(), changed.descriptor().digest());
    assertEquals(2, tags(cacheDir).size());
  }

  private static CopyLocation.Archive archiveOf(Path archive) {
    return new CopyLocation.DockerArchiveFile(archive, null);
  }

  /**
   * An {@code oci-archive} holding an index: kept whole, digests unchanged, so each platform of a
   * build takes its own image from it.
   */
  @Test
  void anOciArchiveKeepsItsDigestsAndItsPlatforms() throws Exception {
    Path src = tmp.resolve("src");
    Digest amd64 = TestImages.image(src, "amd64", "amd64", "oci-archive-amd64", 1024);
    Digest arm64 = TestImages.image(src, "arm64", "arm64", "oci-archive-arm64", 1024);
    TestImages.index(src, "multi", List.of("amd64", "arm64"), List.of("amd64", "arm64"));
    Path archive = tmp.resolve("multi.tar");
    CliRunner.run("copy", "--all", "oci:" + src + ":multi", "oci-archive:" + archive + ":21")
        .assertSuccess();
    BaseImageCache cache = new BaseImageCache(tmp.resolve("cache"));
    BaseImages.Source source = BaseImages.parse("oci-archive:multi.tar:21", tmp, WHAT);
    for (var platform : Map.of("amd64", amd64, "arm64", arm64).entrySet()) {
      BaseImages.Resolved base =
          BaseImages.resolveFor(
              source,
              "oci-archive:multi.tar:21",
              new PlatformSpecifier("linux", platform.getKey(), null),
              true,
              RegistryOptions.builder().build(),
              cache,
              null);
      assertEquals(platform.getValue(), base.digest(), platform.getKey());
    }
    assertEquals(1, tags(tmp.resolve("cache")).size(), "imported once for both platforms");
    BaseImages.Resolved host =
        BaseImages.resolve(
            source,
            PlatformChoice.of("linux", "arm64", null),
            true,
            RegistryOptions.builder().build(),
            cache,
            null);
    assertEquals(arm64, host.digest(), "a one-platform build takes its platform's image");
    LayoutChecks.assertValid(tmp.resolve("cache"));
  }

  /**
   * An archive that is no archive, or whose layer does not match its config: the error names the
   * archive, and the cache gains no tag and no temporary directory.
   */
  @Test
  void aBrokenArchiveLeavesTheCacheAsItWas() throws Exception {
    Path src = tmp.resolve("src");
    TestImages.image(src, "v1", "amd64", "broken-base", 256);
    Path cacheDir = tmp.resolve("cache");
    BaseImageCache cache = new BaseImageCache(cacheDir);
    cache.resolveArchive(imageArchive(src, "good.tar"), Map.of("TMPDIR", tmp.toString()));

    Path garbage = tmp.resolve("garbage.tar");
    Files.writeString(garbage, "this is not a tar archive, and far too short to be one");
    Path spool = Files.createDirectories(tmp.resolve("spool"));
    Map<String, String> env = Map.of("TMPDIR", spool.toString());
    IOException e =
        assertThrows(
            IOException.class,
            () -> cache.resolveArchive(new CopyLocation.DockerArchiveFile(garbage, null), env));
    assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());
    IOException oci =
        assertThrows(
            IOException.class,
            () -> cache.resolveArchive(new CopyLocation.OciArchiveFile(garbage, null), env));
    assertTrue(oci.getMessage().contains(garbage.toString()), oci.getMessage());
    assertEquals(1, tags(cacheDir).size(), "only the good archive's image");
    try (var left = Files.list(spool)) {
      assertEquals(0, left.count(), "the temporary layouts are removed");
    }
    LayoutChecks.assertValid(cacheDir);
    LayoutChecks.assertNoTempDirs(cacheDir);
  }

  private CopyLocation.Archive imageArchive(Path src, String name) {
    Path archive = tmp.resolve(name);
    CliRunner.run("copy", "oci:" + src + ":v1", "docker-archive:" + archive).assertSuccess();
    return new CopyLocation.DockerArchiveFile(archive, null);
  }

  private static List<String> tags(Path layout) throws IOException {
    try (OciLayout l = OciLayout.open(layout)) {
      return References.list(l);
    }
  }

  /** The cache tag names the image chosen in the archive: NAME:TAG and "the only one" apart. */
  @Test
  void theCacheTagNamesTheChosenImage() throws Exception {
    Path src = tmp.resolve("src");
    TestImages.image(src, "v1", "amd64", "named", 128);
    Path archive = tmp.resolve("named.tar");
    CliRunner.run("copy", "oci:" + src + ":v1", "docker-archive:" + archive + ":team/app:2")
        .assertSuccess();
    BaseImageCache cache = new BaseImageCache(tmp.resolve("cache"));
    ImageRef named =
        cache
            .resolveArchive(new CopyLocation.DockerArchiveFile(archive, "team/app:2"), Map.of())
            .image();
    assertTrue(named.tag().endsWith("+team/app:2"), named.tag());
    ImageRef only = cache.resolveArchive(archiveOf(archive), Map.of()).image();
    assertNotEquals(named.tag(), only.tag());
  }
}
