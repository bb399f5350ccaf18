package dev.umoci.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidBundleException;
import dev.umoci.fs.IdMap;
import dev.umoci.fs.IdMapping;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleMetaTest {
  static final String HEX = "123864fa7bd1207e8aa5b6685ad9a164c07848a2bbf655a4b15edb4563d99c1a";

  /** Written by Debian's umoci 0.4.7 {@code unpack --rootless}. */
  static final String ROOTLESS_047 =
      "{\"umoci_version\":\"2\",\"from_descriptor_path\":{\"descriptor_walk\":[{\"mediaType\":"
          + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
          + HEX
          + "\",\"size\":192,\"annotations\":{\"org.opencontainers.image.ref.name\":\"t\"}}]},"
          + "\"map_options\":{\"uid_mappings\":[{\"containerID\":0,\"hostID\":0,\"size\":1}],"
          + "\"gid_mappings\":[{\"containerID\":0,\"hostID\":0,\"size\":1}],\"rootless\":true},"
          + "\"whiteout_mode\":0}\n";

  /** Written by Debian's umoci 0.4.7 {@code unpack} without maps. */
  static final String PLAIN_047 =
      "{\"umoci_version\":\"2\",\"from_descriptor_path\":{\"descriptor_walk\":[{\"mediaType\":"
          + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
          + HEX
          + "\",\"size\":192,\"annotations\":{\"org.opencontainers.image.ref.name\":\"t\"}}]},"
          + "\"map_options\":{\"uid_mappings\":null,\"gid_mappings\":null,\"rootless\":false},"
          + "\"whiteout_mode\":0}\n";

  @TempDir Path dir;

  private static BundleMeta parse(String json) throws InvalidBundleException {
    return BundleMeta.parse(json.getBytes(StandardCharsets.UTF_8), "umoci.json");
  }

  @Test
  void roundTripsUmoci047ByteForByte() throws Exception {
    for (String sample : List.of(ROOTLESS_047, PLAIN_047)) {
      assertEquals(sample, new String(parse(sample).toBytes(), StandardCharsets.UTF_8));
    }
    BundleMeta meta = parse(ROOTLESS_047);
    assertEquals(new Digest("sha256", HEX), meta.manifest().digest());
    assertEquals("t", meta.manifest().refName());
    assertEquals(
        new IdMapping(List.of(new IdMap(0, 0, 1)), List.of(new IdMap(0, 0, 1)), true),
        meta.mapOptions());
    assertEquals(IdMapping.identity(), parse(PLAIN_047).mapOptions());
  }

  @Test
  void readsTheUmoci06FormWithoutWhiteoutMode() throws Exception {
    String v06 = PLAIN_047.replace(",\"whiteout_mode\":0", "").replace("}\n", "}");
    assertEquals(PLAIN_047, new String(parse(v06).toBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void rejectsOtherVersions() {
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> parse(PLAIN_047.replace("\"umoci_version\":\"2\"", "\"umoci_version\":\"3\"")));
    assertTrue(e.getMessage().contains("unsupported umoci.json version \"3\""), e.getMessage());
    assertThrows(
        InvalidBundleException.class,
        () -> parse(PLAIN_047.replace("\"umoci_version\":\"2\",", "")));
  }

  @Test
  void rejectsWhiteoutMode() {
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> parse(PLAIN_047.replace("\"whiteout_mode\":0", "\"whiteout_mode\":1")));
    assertTrue(e.getMessage().contains("whiteout_mode"), e.getMessage());
  }

  @Test
  void rejectsMalformedAndEmptyWalks() {
    assertThrows(InvalidBundleException.class, () -> parse("{not json"));
    assertThrows(
        InvalidBundleException.class,
        () -> parse("{\"umoci_version\":\"2\",\"from_descriptor_path\":{\"descriptor_walk\":[]}}"));
  }

  @Test
  void missingFileNamesThePath() {
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> BundleMeta.read(dir));
    assertTrue(e.getMessage().contains(dir.resolve("umoci.json").toString()), e.getMessage());
  }

  @Test
  void writeIsAtomicAndReadable() throws Exception {
    Descriptor manifest =
        Descriptor.of(MediaTypes.IMAGE_MANIFEST, new Digest("sha256", HEX), 192)
            .withAnnotation(MediaTypes.ANNOTATION_REF_NAME, "t");
    BundleMeta meta =
        new BundleMeta(
            List.of(manifest),
            new IdMapping(
                List.of(new IdMap(0, 100000, 65536)), List.of(new IdMap(0, 1, 2)), false));
    Files.writeString(dir.resolve("umoci.json"), "old");
    meta.write(dir);
    assertEquals(meta, BundleMeta.read(dir));
    assertArrayEquals(meta.toBytes(), Files.readAllBytes(dir.resolve("umoci.json")));
    assertEquals(
        "rw-r--r--",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("umoci.json"))));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("umoci.json")), files.toList());
    }
  }

  /** umoci.json written by the real 0.4.7 binary, plain, id-mapped and rootless. */
  @Test
  void readsAndReproducesRealUmociOutput() throws Exception {
    GoUmoci.assumeInstalled();
    Path layout = dir.resolve("layout");
    GoUmoci.run(dir, "init", "--layout", layout.toString());
    GoUmoci.run(dir, "new", "--image", layout + ":latest");
    List<List<String>> flagSets =
        List.of(
            List.of(),
            List.of("--rootless"),
            List.of("--uid-map=0:100000:65536", "--gid-map=0:100000:65536", "--gid-map=65536:5:1"));
    int n = 0;
    for (List<String> flags : flagSets) {
      Path bundle = dir.resolve("bundle" + n++);
      List<String> args = new java.util.ArrayList<>(List.of("unpack"));
      args.addAll(flags);
      args.addAll(List.of("--image", layout.toString(), bundle.toString()));
      GoUmoci.run(dir, args.toArray(String[]::new));
      BundleMeta meta = BundleMeta.read(bundle);
      assertArrayEquals(Files.readAllBytes(bundle.resolve("umoci.json")), meta.toBytes());
      assertEquals(GoUmoci.manifestDescriptor(layout, "latest"), meta.manifest());
      BundlePaths paths = new BundlePaths(bundle);
      assertTrue(Files.isRegularFile(paths.existingMtree(meta.manifest().digest())));
      assertTrue(Files.isDirectory(paths.rootfs()));
      assertTrue(Files.isRegularFile(paths.configJson()));
      assertEquals(flags.contains("--rootless"), meta.mapOptions().rootless());
    }
  }

  @Test
  void mtreeNamesAndMissingMtree() throws Exception {
    Digest d = new Digest("sha256", HEX);
    assertEquals("sha256_" + HEX + ".mtree", BundlePaths.mtreeName(d));
    BundlePaths paths = new BundlePaths(dir);
    assertEquals(dir.resolve("sha256_" + HEX + ".mtree"), paths.mtree(d));
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> paths.existingMtree(d));
    assertTrue(e.getMessage().contains("sha256_" + HEX + ".mtree"), e.getMessage());
    assertFalse(Files.exists(paths.mtree(d)));
  }
}
