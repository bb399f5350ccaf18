package dev.umoci.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.mtree.InodeDelta;
import dev.umoci.mtree.MtreeCompare;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.mtree.MtreeWalker;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.runtime.Spec;
import dev.umoci.sys.PathBytes;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code unpack} of a real Debian minbase image, side by side with Debian's umoci 0.4.7: the same
 * tree, the same config.json (up to the listed, intended differences), a bundle Debian's umoci can
 * repack, and a rootless unpack as an unprivileged user.
 */
class DebianUnpackInteropTest {
  /** Everything the two trees must agree on, nanosecond times included. */
  static final List<String> ALL_KEYWORDS =
      List.of(
          "type", "mode", "uid", "gid", "size", "sha256digest", "link", "xattr", "nlink", "time");

  static final String TAG = "small";
  Path fixture;
  Path work;

  @BeforeEach
  void setUp() throws Exception {
    fixture = DebianImages.small();
    work = Files.createTempDirectory("umoci-debian-");
    PosixFs.host().chmod(work, 0755);
  }

  @AfterEach
  void tearDown() throws Exception {
    LayoutChecks.assertValid(fixture);
    if (work != null) {
      new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
    }
  }

  static void umoci(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(UmociInteropTest.UMOCI));
    cmd.addAll(List.of(args));
    ExternalTool.run(cmd).assertSuccess();
  }

  static String withoutSignature(Path mtree) throws Exception {
    return Files.readString(mtree, StandardCharsets.UTF_8)
        .lines()
        .filter(l -> !l.matches("#\\s+(user|machine|tree|date):.*"))
        .collect(Collectors.joining("\n"));
  }

  static Path mtreeOf(Path bundle) throws Exception {
    try (var list = Files.list(bundle)) {
      return list.filter(p -> p.getFileName().toString().endsWith(".mtree")).findFirst().get();
    }
  }

  @Test
  void sameTreeConfigAndMetadataAsDebianUmoci() throws Exception {
    Path ours = work.resolve("ours");
    Path theirs = work.resolve("theirs");
    CliRunner.run("unpack", "--image", fixture + ":" + TAG, ours.toString()).assertSuccess();
    umoci("unpack", "--image", fixture + ":" + TAG, theirs.toString());

    MtreeWalker all = MtreeWalker.builder().keywords(ALL_KEYWORDS).build();
    MtreeSpec theirTree = all.walk(theirs.resolve("rootfs"));
    assertTrue(theirTree.entries().size() > 5000, "a real rootfs: " + theirTree.entries().size());
    List<InodeDelta> deltas = MtreeCompare.check(ours.resolve("rootfs"), theirTree, all);
    assertEquals(List.of(), deltas);

    assertEquals(mtreeOf(theirs).getFileName(), mtreeOf(ours).getFileName());
    assertEquals(withoutSignature(mtreeOf(theirs)), withoutSignature(mtreeOf(ours)));
    assertEquals(
        Files.readString(theirs.resolve("umoci.json")),
        Files.readString(ours.resolve("umoci.json")));
    assertEquals(0700, PosixFs.host().lstat(theirs).permissions());
    assertEquals(0700, PosixFs.host().lstat(ours).permissions());

    JsonNode theirConfig = Json.mapper().readTree(theirs.resolve("config.json").toFile());
    JsonNode ourConfig = Json.mapper().readTree(ours.resolve("config.json").toFile());
    assertEquals(toUmoci06(theirConfig), ourConfig);
  }

  /**
   * Debian's umoci 0.4.7 config.json turned into what umoci 0.6 writes, by the intended differences
   * only: runtime-spec version 1.2.1 instead of 1.0.0, a cgroup namespace first in the list
   * (0.5.0), and no empty image annotations (0.5.0 leaves them out).
   */
  static JsonNode toUmoci06(JsonNode goConfig) {
    ObjectNode expected = goConfig.deepCopy();
    assertEquals("1.0.0", expected.get("ociVersion").asText());
    expected.put("ociVersion", Spec.VERSION);
    ArrayNode namespaces = (ArrayNode) expected.get("linux").get("namespaces");
    for (JsonNode n : namespaces) {
      assertFalse(n.get("type").asText().equals("cgroup"));
    }
    namespaces.insertObject(0).put("type", "cgroup");
    ObjectNode annotations = (ObjectNode) expected.get("annotations");
    List<String> empty = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().asText().isEmpty()) {
        empty.add(e.getKey());
      }
    }
    assertFalse(empty.isEmpty(), "0.4.7 writes empty annotations for an image without author");
    empty.forEach(annotations::remove);
    return expected;
  }

  private static int layerCount(Path layout, String tag) throws Exception {
    try (OciLayout l = OciLayout.open(layout)) {
      Manifest m = ImageBlobs.manifest(l, References.resolveManifest(l, tag).descriptor());
      return m.layers().size();
    }
  }

  @Test
  void debianUmociRepacksABundleWeUnpacked() throws Exception {
    Path layout = work.resolve("layout");
    ExternalTool.run("cp", "-a", fixture.toString(), layout.toString()).assertSuccess();
    Path bundle = work.resolve("bundle");
    CliRunner.run("unpack", "--image", layout + ":" + TAG, bundle.toString()).assertSuccess();
    int layers = layerCount(layout, TAG);

    umoci("repack", "--image", layout + ":same", bundle.toString());
    assertEquals(layers, layerCount(layout, "same"), "no change: umoci repack adds no layer");

    Path rootfs = bundle.resolve("rootfs");
    Files.writeString(rootfs.resolve("etc/hostname"), "changed-by-java-unpack\n");
    Files.writeString(rootfs.resolve("etc/added-file"), "added\n");
    Files.delete(rootfs.resolve("etc/debian_version"));
    umoci("repack", "--image", layout + ":new", bundle.toString());
    assertEquals(layers + 1, layerCount(layout, "new"));
    LayoutChecks.assertValid(layout);

    Path check = work.resolve("check");
    umoci("unpack", "--image", layout + ":new", check.toString());
    Path checked = check.resolve("rootfs");
    assertEquals("changed-by-java-unpack\n", Files.readString(checked.resolve("etc/hostname")));
    assertEquals("added\n", Files.readString(checked.resolve("etc/added-file")));
    assertFalse(Files.exists(checked.resolve("etc/debian_version"), LinkOption.NOFOLLOW_LINKS));
    // Everything else is as we unpacked it. A layer keeps whole-second times (tar_time), and
    // umoci 0.4.7 rounds the times of the entries it writes (0.6 truncates): only the changed
    // entries may differ, and only in time.
    List<String> keywords = new ArrayList<>(ALL_KEYWORDS);
    keywords.set(keywords.indexOf("time"), "tar_time");
    MtreeWalker all = MtreeWalker.builder().keywords(keywords).build();
    for (InodeDelta d : MtreeCompare.check(checked, all.walk(rootfs), all)) {
      assertTrue(
          List.of("etc", "etc/added-file", "etc/hostname").contains(d.path().toString())
              && d.keys().size() == 1
              && d.key("tar_time") != null,
          d.describe());
    }
  }

  @Test
  void rootlessUnpackAsNobodyMatchesARootfulOne() throws Exception {
    Interop.require(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv not installed");
    int nobody = 65534;
    Path layout = work.resolve("layout");
    ExternalTool.run("cp", "-a", fixture.toString(), layout.toString()).assertSuccess();
    ExternalTool.run("chmod", "-R", "a+rX", layout.toString()).assertSuccess();
    Path home = Files.createDirectory(work.resolve("nobody"));
    PosixFs.host().lchown(home, nobody, nobody);
    PosixFs.host().chmod(home, 0700);
    Path bundle = home.resolve("bundle");

    String classpath = readableClasspath();
    asNobody(
        home, classpath, "unpack", "--rootless", "--image", layout + ":" + TAG, bundle.toString());
    assertEquals(nobody, PosixFs.host().lstat(bundle.resolve("rootfs")).uid());
    String meta = Files.readString(bundle.resolve("umoci.json"));
    assertTrue(meta.contains("\"rootless\":true"), meta);
    assertTrue(meta.contains("\"hostID\":" + nobody), meta);

    Path rootful = work.resolve("rootful");
    CliRunner.run("unpack", "--image", layout + ":" + TAG, rootful.toString()).assertSuccess();
    MtreeWalker shape =
        MtreeWalker.builder()
            .keywords(List.of("type", "mode", "size", "sha256digest", "link"))
            .rootless(true)
            .build();
    Path rootlessRootfs = bundle.resolve("rootfs");
    Path rootfulRootfs = rootful.resolve("rootfs");
    List<InodeDelta> deltas = MtreeCompare.check(rootlessRootfs, shape.walk(rootfulRootfs), shape);
    // The only differences: device nodes, which an unprivileged user cannot create, are empty
    // regular files (as umoci does rootless).
    int devices = 0;
    try (var files = Files.walk(rootfulRootfs)) {
      for (Path f : files.toList()) {
        int type = PosixFs.host().lstat(f).type();
        if (type == FileStat.S_IFCHR || type == FileStat.S_IFBLK) {
          devices++;
        }
      }
    }
    assertEquals(devices, deltas.size(), deltas.toString());
    for (InodeDelta d : deltas) {
      Path rel = PathBytes.fromBytes(d.path().bytes());
      int type = PosixFs.host().lstat(rootfulRootfs.resolve(rel)).type();
      assertTrue(type == FileStat.S_IFCHR || type == FileStat.S_IFBLK, d.describe());
      FileStat faked = PosixFs.host().lstat(rootlessRootfs.resolve(rel));
      assertTrue(faked.isRegularFile() && faked.size() == 0, d.describe());
    }
    // Its own mtree describes what it wrote.
    Path mtree = mtreeOf(bundle);
    assertEquals(
        List.of(),
        MtreeCompare.check(
            bundle.resolve("rootfs"),
            MtreeSpec.read(mtree),
            MtreeWalker.builder().rootless(true).build()));

    // Repack as nobody: the bundle's digest cache lets it list the rootfs instead of walking it,
    // and the one file added is the whole difference.
    Path added = bundle.resolve("rootfs/etc/rootless-change");
    Files.writeString(added, "changed as nobody");
    PosixFs.host().lchown(added, nobody, nobody);
    ExternalTool.run("chown", "-R", nobody + ":" + nobody, layout.toString()).assertSuccess();
    String repack =
        asNobody(
            home,
            classpath,
            "--log",
            "debug",
            "repack",
            "--image",
            layout + ":rootless-new",
            bundle.toString());
    assertTrue(repack.contains("snapshot diff:"), repack);
    assertTrue(repack.contains("repack: 2 changes"), repack); // etc and etc/rootless-change
    LayoutChecks.assertValid(layout);
    Path check = work.resolve("check");
    CliRunner.run("unpack", "--image", layout + ":rootless-new", check.toString()).assertSuccess();
    assertEquals(
        "changed as nobody", Files.readString(check.resolve("rootfs/etc/rootless-change")));
  }

  /** Runs the CLI as user nobody (65534) in {@code home}; returns its output, failing on error. */
  private static String asNobody(Path home, String classpath, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens",
                "java.base/sun.nio.fs=ALL-UNNAMED",
                "-cp",
                classpath,
                "dev.umoci.cli.Main"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(home.toFile()).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), output);
    return output;
  }

  /** The test classpath, with jars copied where user nobody can read them. */
  private String readableClasspath() throws Exception {
    Path cp = Files.createDirectory(work.resolve("cp"));
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isRegularFile(path)) {
        Path copy = cp.resolve(entries.size() + "-" + path.getFileName());
        Files.copy(path, copy);
        PosixFs.host().chmod(copy, 0644);
        entries.add(copy.toString());
      } else if (Files.isDirectory(path)) {
        entries.add(path.toString());
      }
    }
    PosixFs.host().chmod(cp, 0755);
    return String.join(File.pathSeparator, entries);
  }
}
