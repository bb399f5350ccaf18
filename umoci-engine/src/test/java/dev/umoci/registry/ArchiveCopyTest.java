package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.RegistryExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code copy} to and from skopeo's {@code oci-archive:} and to its {@code docker-archive:}, read
 * and written by skopeo on the other side, and hostile archives.
 */
class ArchiveCopyTest {
  private static final String SKOPEO = "/usr/bin/skopeo";

  @RegisterExtension static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir Path tmp;

  @BeforeAll
  static void requireSkopeo() {
    Interop.requireTool(SKOPEO);
  }

  private static void skopeo(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SKOPEO, "--insecure-policy"));
    cmd.addAll(List.of(args));
    ExternalTool.run(cmd).assertSuccess();
  }

  private static Digest tagged(Path layout, String tag) throws IOException {
    try (OciLayout l = OciLayout.open(layout)) {
      return References.resolve(l, tag).digest();
    }
  }

  /** name -> content of every tar entry, in archive order. */
  private static Map<String, byte[]> entries(Path tar) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(tar);
        TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e; (e = t.getNextEntry()) != null; ) {
        out.put(e.getName(), t.readAllBytes());
      }
    }
    return out;
  }

  @Test
  void archivesWeWriteSkopeoReadsWithTheSameImage() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", "amd64", "archives", 512);

    Path oci = tmp.resolve("out/image-oci.tar");
    Map<String, String> epoch = Map.of("SOURCE_DATE_EPOCH", "1700000000");
    CliRunner.runWithEnv(epoch, "copy", "oci:" + src + ":v1", "oci-archive:" + oci + ":1.0")
        .assertSuccess();
    skopeo("copy", "oci-archive:" + oci + ":1.0", "oci:" + tmp.resolve("back") + ":1.0");
    assertEquals(manifest, tagged(tmp.resolve("back"), "1.0"));
    byte[] first = Files.readAllBytes(oci);
    CliRunner.runWithEnv(epoch, "copy", "oci:" + src + ":v1", "oci-archive:" + oci + ":1.0")
        .assertSuccess();
    assertArrayEquals(first, Files.readAllBytes(oci), "the same image, the same archive bytes");

    Path docker = tmp.resolve("out/image-docker.tar");
    CliRunner.run("copy", "oci:" + src + ":v1", "docker-archive:" + docker + ":team/app:1.0")
        .assertSuccess();
    JsonNode entry = Json.mapper().readTree(entries(docker).get("manifest.json")).get(0);
    assertEquals("team/app:1.0", entry.path("RepoTags").path(0).asText());
    skopeo("copy", "docker-archive:" + docker, "oci:" + tmp.resolve("loaded") + ":x");
    // skopeo stores the config it loads rewritten (another digest): compare what it says.
    JsonNode ours = config(src, "v1");
    JsonNode loaded = config(tmp.resolve("loaded"), "x");
    assertEquals(ours.path("rootfs"), loaded.path("rootfs"), "the same layers");
    assertEquals(ours.path("config"), loaded.path("config"));
    assertEquals(ours.path("architecture"), loaded.path("architecture"));

    CliRunner.run("copy", "oci:" + src + ":v1", "docker-archive:" + tmp.resolve("plain.tar"))
        .assertSuccess();
    JsonNode unnamed =
        Json.mapper().readTree(entries(tmp.resolve("plain.tar")).get("manifest.json")).get(0);
    assertEquals(0, unnamed.path("RepoTags").size(), "no name given, none written");
  }

  private static JsonNode config(Path layout, String tag) throws IOException {
    try (OciLayout l = OciLayout.open(layout)) {
      Manifest m = l.readJson(References.resolve(l, tag), Manifest.class);
      return Json.mapper().readTree(l.readBlob(m.config()));
    }
  }

  @Test
  void anArchiveSkopeoWroteIsCopiedToALayoutAndARegistry() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", "amd64", "from-skopeo", 512);
    Path tagged = tmp.resolve("tagged.tar");
    skopeo("copy", "oci:" + src + ":v1", "oci-archive:" + tagged + ":v1");
    CliRunner.run("copy", "oci-archive:" + tagged + ":v1", "oci:" + tmp.resolve("dst") + ":x")
        .assertSuccess();
    LayoutChecks.assertTag(tmp.resolve("dst"), "x", manifest);
    LayoutChecks.assertValid(tmp.resolve("dst"));

    // skopeo writes an archive without a tag unnamed: its only image is the source.
    Path unnamed = tmp.resolve("unnamed.tar");
    skopeo("copy", "oci:" + src + ":v1", "oci-archive:" + unnamed);
    String remote = "docker://" + registry.host() + "/archive/app:1";
    CliRunner.run("copy", "--dest-tls-verify=false", "oci-archive:" + unnamed, remote)
        .assertSuccess();
    CliRunner.run(
            "copy", "--src-tls-verify=false", remote, "oci-archive:" + tmp.resolve("pulled.tar"))
        .assertSuccess();
    skopeo("copy", "oci-archive:" + tmp.resolve("pulled.tar"), "oci:" + tmp.resolve("p") + ":p");
    assertEquals(manifest, tagged(tmp.resolve("p"), "p"));
  }

  @Test
  void hostileArchivesAreOneLineAndWriteNothing() throws Exception {
    Path src = tmp.resolve("src");
    TestImages.image(src, "v1", "amd64", "hostile", 64);
    Path good = tmp.resolve("good.tar");
    CliRunner.run("copy", "oci:" + src + ":v1", "oci-archive:" + good + ":v1").assertSuccess();
    Map<String, byte[]> content = entries(good);
    String blob =
        content.keySet().stream()
            .filter(n -> n.matches("blobs/sha256/[0-9a-f]{64}"))
            .findFirst()
            .get();

    Map<String, byte[]> escaping = new LinkedHashMap<>(content);
    escaping.put("../escaped", "x".getBytes(StandardCharsets.UTF_8));
    assertRefused(
        escaping, null, "unexpected file \"../escaped\" (an OCI layout holds oci-layout,");

    Map<String, byte[]> flipped = new LinkedHashMap<>(content);
    byte[] bytes = flipped.get(blob).clone();
    bytes[0] ^= 1;
    flipped.put(blob, bytes);
    assertRefused(flipped, null, blob.substring("blobs/sha256/".length()));

    Map<String, byte[]> linked = new LinkedHashMap<>(content);
    linked.remove(blob);
    assertRefused(linked, blob, "unexpected symlink \"" + blob + "\"");

    Map<String, byte[]> noIndex = new LinkedHashMap<>(content);
    noIndex.remove("index.json");
    assertRefused(noIndex, null, "not an OCI layout: no index.json");

    CliRunner.Result all =
        CliRunner.run("copy", "--all", "oci:" + src + ":v1", "docker-archive:" + good);
    assertEquals(
        "umoci: docker-archive:"
            + good
            + ": a docker archive holds one image, not a whole index (--all)\n",
        all.stderr());
    CliRunner.Result name =
        CliRunner.run("copy", "oci:" + src + ":v1", "docker-archive:" + good + ":Team/App");
    assertEquals(1, name.exitCode());
    assertTrue(name.stderr().contains("invalid docker image name \"Team/App:latest\""));
    CliRunner.Result missing =
        CliRunner.run("copy", "oci:" + src + ":nope", "oci-archive:" + good + ":v1");
    assertEquals(1, missing.exitCode());
    assertEquals(content.keySet(), entries(good).keySet(), "the earlier archive is as it was");
  }

  @Test
  void aDockerArchiveIsReadAsAnOciImageOverTheSameBytes() throws Exception {
    Path src = tmp.resolve("src");
    TestImages.image(src, "v1", "amd64", "docker-read", 512);
    JsonNode config = config(src, "v1");
    Path saved = tmp.resolve("saved.tar");
    skopeo("copy", "oci:" + src + ":v1", "docker-archive:" + saved + ":team/app:1");
    CliRunner.run("copy", "docker-archive:" + saved, "oci:" + tmp.resolve("dst") + ":x")
        .assertSuccess();
    LayoutChecks.assertValid(tmp.resolve("dst"));
    try (OciLayout l = OciLayout.open(tmp.resolve("dst"))) {
      Manifest m = l.readJson(References.resolve(l, "x"), Manifest.class);
      List<String> layers = m.layers().stream().map(d -> d.digest().toString()).toList();
      List<String> diffIds = new ArrayList<>();
      config.path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
      assertEquals(diffIds, layers, "the uncompressed layers, as docker save stores them");
    }

    // By name, with Docker's short names; our own archive reads back to the same config bytes.
    Path ours = tmp.resolve("ours.tar");
    CliRunner.run("copy", "oci:" + src + ":v1", "docker-archive:" + ours + ":app:2")
        .assertSuccess();
    CliRunner.run(
            "copy",
            "docker-archive:" + ours + ":docker.io/library/app:2",
            "oci:" + tmp.resolve("dst") + ":y")
        .assertSuccess();
    assertEquals(
        manifestOf(src, "v1").config().digest(),
        manifestOf(tmp.resolve("dst"), "y").config().digest());
    CliRunner.Result other =
        CliRunner.run("copy", "docker-archive:" + ours + ":other:1", "oci:" + tmp.resolve("z"));
    assertEquals("umoci: docker-archive " + ours + ": no image named other:1\n", other.stderr());
    assertFalse(Files.exists(tmp.resolve("z")));
  }

  /**
   * Docker 25+ saves an OCI layout (its blobs as stored, layers compressed) plus a {@code
   * manifest.json} naming those blobs: read as either kind of archive, it gives the same layers.
   */
  @Test
  void anOciLayoutWithADockerManifestIsReadAsEitherArchive() throws Exception {
    Path src = tmp.resolve("src");
    TestImages.image(src, "v1", "amd64", "docker-25", 256);
    Manifest original = manifestOf(src, "v1");
    Path oci = tmp.resolve("oci.tar");
    CliRunner.run("copy", "oci:" + src + ":v1", "oci-archive:" + oci + ":v1").assertSuccess();
    Map<String, byte[]> content = new LinkedHashMap<>(entries(oci));
    List<String> layers = new ArrayList<>();
    original.layers().forEach(l -> layers.add("blobs/sha256/" + l.digest().hex()));
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("Config", "blobs/sha256/" + original.config().digest().hex());
    entry.put("RepoTags", List.of("app:1"));
    entry.put("Layers", layers);
    content.put("manifest.json", Json.mapper().writeValueAsBytes(List.of(entry)));
    content.put("repositories", "{}".getBytes(StandardCharsets.UTF_8));
    Path saved = tmp.resolve("saved.tar");
    writeTar(saved, content);

    CliRunner.run("copy", "docker-archive:" + saved + ":app:1", "oci:" + tmp.resolve("d") + ":x")
        .assertSuccess();
    Manifest read = manifestOf(tmp.resolve("d"), "x");
    assertEquals(original.config().digest(), read.config().digest());
    assertEquals(
        original.layers().stream()
            .map(l -> l.mediaType() + " " + l.digest() + " " + l.size())
            .toList(),
        read.layers().stream().map(l -> l.mediaType() + " " + l.digest() + " " + l.size()).toList(),
        "the same compressed layers and media types");
    CliRunner.run("copy", "oci-archive:" + saved + ":v1", "oci:" + tmp.resolve("o") + ":x")
        .assertSuccess();
    LayoutChecks.assertTag(tmp.resolve("o"), "x", tagged(src, "v1"));
  }

  private static void writeTar(Path tar, Map<String, byte[]> entries) throws IOException {
    writeTar(tar, entries, null);
  }

  /** Writes {@code entries} as a tar, then {@code symlink}, when given, linking to index.json. */
  private static void writeTar(Path tar, Map<String, byte[]> entries, String symlink)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(tar);
        TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
        entry.setSize(e.getValue().length);
        t.putArchiveEntry(entry);
        t.write(e.getValue());
        t.closeArchiveEntry();
      }
      if (symlink != null) {
        TarArchiveEntry link = new TarArchiveEntry(symlink, TarArchiveEntry.LF_SYMLINK);
        link.setLinkName("../../index.json");
        t.putArchiveEntry(link);
        t.closeArchiveEntry();
      }
    }
  }

  @Test
  void hostileDockerArchivesAreOneLineAndWriteNothing() throws Exception {
    Path src = tmp.resolve("src");
    TestImages.image(src, "v1", "amd64", "docker-hostile", 64);
    Path good = tmp.resolve("good.tar");
    CliRunner.run("copy", "oci:" + src + ":v1", "docker-archive:" + good + ":app:1")
        .assertSuccess();
    Map<String, byte[]> content = entries(good);
    JsonNode entry = Json.mapper().readTree(content.get("manifest.json")).get(0);
    String layer = entry.path("Layers").path(0).asText();

    Map<String, byte[]> two = new LinkedHashMap<>(content);
    String again = Json.mapper().writeValueAsString(entry).replace("app:1", "app:2");
    two.put(
        "manifest.json",
        ("[" + Json.mapper().writeValueAsString(entry) + "," + again + "]")
            .getBytes(StandardCharsets.UTF_8));
    assertDockerRefused(two, "holds 2 images: name one as docker-archive:PATH:NAME:TAG");

    Map<String, byte[]> flipped = new LinkedHashMap<>(content);
    byte[] bytes = flipped.get(layer).clone();
    bytes[bytes.length / 2] ^= 1;
    flipped.put(layer, bytes);
    assertDockerRefused(flipped, "layer " + layer + " has digest sha256:");

    Map<String, byte[]> missing = new LinkedHashMap<>(content);
    missing.remove(layer);
    assertDockerRefused(
        missing, "manifest.json names layer 1 \"" + layer + "\", which the archive does not hold");

    Map<String, byte[]> noManifest = new LinkedHashMap<>(content);
    noManifest.remove("manifest.json");
    assertDockerRefused(noManifest, "not a docker archive: no manifest.json");
  }

  private void assertDockerRefused(Map<String, byte[]> entries, String expected)
      throws IOException {
    Path tar = Files.createTempFile(tmp, "hostile-", ".tar");
    writeTar(tar, entries);
    assertRefused("docker-archive", tar, expected);
  }

  /**
   * Copies the archive {@code tar} ({@code transport}: oci-archive, docker-archive) to a new layout
   * and checks the failure is one line naming the archive and {@code expected}, and writes nothing.
   */
  private void assertRefused(String transport, Path tar, String expected) {
    Path dst = tmp.resolve("refused");
    CliRunner.Result r = CliRunner.run("copy", transport + ":" + tar, "oci:" + dst + ":x");
    assertEquals(1, r.exitCode(), r.stderr());
    assertTrue(
        r.stderr().startsWith("umoci: " + transport + " " + tar + ": ")
            && r.stderr().contains(expected),
        r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertFalse(Files.exists(dst), "no destination layout");
  }

  private static Manifest manifestOf(Path layout, String tag) throws IOException {
    try (OciLayout l = OciLayout.open(layout)) {
      return l.readJson(References.resolve(l, tag), Manifest.class);
    }
  }

  /**
   * {@link #assertRefused(String, Path, String)} for {@code entries} (and {@code symlink}) as an
   * oci-archive; nothing escapes the layout either.
   */
  private void assertRefused(Map<String, byte[]> entries, String symlink, String expected)
      throws IOException {
    Path tar = Files.createTempFile(tmp, "hostile-", ".tar");
    writeTar(tar, entries, symlink);
    assertRefused("oci-archive", tar, expected);
    assertFalse(Files.exists(tmp.resolve("escaped")));
  }
}
