package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Json;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DockerArchive} and {@link ArchiveLayout}: content, reproducibility, file mode. */
class ArchivesTest {
  @TempDir Path tmp;
  Path layout;
  Image image;

  @BeforeEach
  void buildImage() throws IOException {
    BuildImageTest build = new BuildImageTest();
    build.tmp = tmp;
    build.setUp();
    layout = tmp.resolve("oci");
    BuildImage.run(build.options(layout, null, null));
    image = BuildImageTest.image(layout, "1.0");
  }

  /** name -> content of every tar entry, in archive order. */
  static Map<String, byte[]> entries(Path tar) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(tar);
        TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = t.getNextEntry()) != null) {
        assertEquals(0, e.getLongUserId(), e.getName());
        assertEquals(0, e.getLongGroupId(), e.getName());
        out.put(e.getName(), t.readAllBytes());
      }
    }
    return out;
  }

  /** The permissions a new file in {@code dir} gets from the umask, as any other output has. */
  static Set<PosixFilePermission> umaskMode(Path dir) throws IOException {
    Path reference = dir.resolve("reference");
    Files.newOutputStream(reference).close();
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(reference);
    Files.delete(reference);
    return mode;
  }

  @Test
  void dockerArchiveHasManifestJsonConfigAndUncompressedLayers() throws IOException {
    Path archive = tmp.resolve("out/app-docker.tar");
    DockerArchive.run(
        new DockerArchive.Options(
            new ImageRef(layout, "1.0"), archive, List.of("app:1.0"), BuildImageTest.WHEN));

    Map<String, byte[]> entries = entries(archive);
    List<Digest> diffIds = image.rootfs().diffIds();
    String config = Digest.sha256(entries.values().toArray(new byte[0][])[1]).hex() + ".json";
    List<String> names = new ArrayList<>(List.of("manifest.json", config));
    for (Digest diffId : diffIds) {
      names.add(diffId.hex() + "/");
      names.add(diffId.hex() + "/layer.tar");
    }
    assertEquals(names, new ArrayList<>(entries.keySet()));
    for (Digest diffId : diffIds) {
      assertEquals(diffId, Digest.sha256(entries.get(diffId.hex() + "/layer.tar")));
    }
    assertEquals(image, Json.parse(entries.get(config), Image.class, "config"));

    JsonNode manifest = Json.mapper().readTree(entries.get("manifest.json"));
    assertEquals(1, manifest.size());
    assertEquals(config, manifest.get(0).get("Config").asText());
    assertEquals("app:1.0", manifest.get(0).get("RepoTags").get(0).asText());
    List<String> layers = new ArrayList<>();
    manifest.get(0).get("Layers").forEach(n -> layers.add(n.asText()));
    assertEquals(diffIds.stream().map(d -> d.hex() + "/layer.tar").toList(), layers);

    assertEquals(umaskMode(archive.getParent()), Files.getPosixFilePermissions(archive));
    try (Stream<Path> left = Files.list(archive.getParent())) {
      assertEquals(List.of(archive), left.toList(), "no temporary file or work directory left");
    }

    Path again = tmp.resolve("out/again.tar");
    DockerArchive.run(
        new DockerArchive.Options(
            new ImageRef(layout, "1.0"), again, List.of("app:1.0"), BuildImageTest.WHEN));
    assertArrayEquals(Files.readAllBytes(archive), Files.readAllBytes(again));
  }

  @Test
  void skopeoReadsTheDockerArchive() throws IOException, InterruptedException {
    Path archive = tmp.resolve("app-docker.tar");
    DockerArchive.run(
        new DockerArchive.Options(
            new ImageRef(layout, "1.0"), archive, List.of("example.com/team/app:1.0"), null));
    Interop.requireTool("/usr/bin/skopeo");
    Path copy = tmp.resolve("copy");
    ExternalTool.run(
            "/usr/bin/skopeo", "copy", "docker-archive:" + archive, "oci:" + copy + ":copied")
        .assertSuccess();
    Image copied = BuildImageTest.image(copy, "copied");
    assertEquals(image.rootfs(), copied.rootfs());
    assertEquals(image.config(), copied.config());
  }

  @Test
  void invalidRepoTagsAreRefusedBeforeAnythingIsWritten() {
    for (String bad : List.of("App:1.0", "app", "app:", "app:bad tag", "app:-x", "a//b:1")) {
      Path archive = tmp.resolve("bad.tar");
      InvalidArgumentException e =
          assertThrows(
              InvalidArgumentException.class,
              () ->
                  DockerArchive.run(
                      new DockerArchive.Options(
                          new ImageRef(layout, "1.0"), archive, List.of(bad), null)),
              bad);
      assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
      assertFalse(Files.exists(archive));
    }
  }

  @Test
  void ociArchiveModeFollowsTheUmask() throws IOException {
    Path archive = tmp.resolve("out/app-oci.tar");
    ArchiveLayout.run(new ArchiveLayout.Options(layout, archive, BuildImageTest.WHEN));
    assertEquals(umaskMode(archive.getParent()), Files.getPosixFilePermissions(archive));
    assertTrue(entries(archive).containsKey("index.json"));
  }
}
