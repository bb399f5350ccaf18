package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.bundle.BundleMeta;
import dev.umoci.bundle.BundlePaths;
import dev.umoci.bundle.DigestCache;
import dev.umoci.bundle.RuntimeConfigFile;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.IdMap;
import dev.umoci.fs.PosixFs;
import dev.umoci.layer.Compression;
import dev.umoci.layer.TarBuilder;
import dev.umoci.mtree.InodeDelta;
import dev.umoci.mtree.Keywords;
import dev.umoci.mtree.MtreeCompare;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.mtree.MtreeWalker;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.runtime.Spec;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code umoci unpack} on images built in code: the bundle it writes and its mtree. */
class UnpackTest {
  static final PosixFs FS = PosixFs.host();

  @TempDir Path tmp;
  Path layout;

  @AfterEach
  void layoutStaysValid() {
    if (layout != null && Files.exists(layout)) {
      LayoutChecks.assertValid(layout);
    }
  }

  /** Three layers (gzip, zstd, none) with hard links, whiteouts, replaced files and xattrs. */
  static TestImages layeredImage() {
    byte[] l1 =
        new TarBuilder()
            .dir("etc/")
            .file(
                "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/a:/bin/sh\n")
            .file("etc/group", "root:x:0:\nalice:x:1000:\n")
            .dir("bin/")
            .file("bin/tool", "#!/bin/sh\necho tool\n")
            .mode(04755)
            .hardlink("bin/tool-link", "bin/tool")
            .file("bin/gone", "to be whited out")
            .file("data", "x".repeat(300_000))
            .owner(1000, 1000)
            .xattr("user.note", "hello")
            .symlink("bin/sh", "tool")
            .build();
    byte[] l2 =
        new TarBuilder()
            .whiteout("bin/gone")
            .file("bin/tool", "#!/bin/sh\necho replaced\n")
            .mode(0755)
            .file("new", "new file, possibly on a reused inode")
            .dir("empty/")
            .build();
    byte[] l3 = new TarBuilder().file("data", "shorter now").file("etc/motd", "hi\n").build();
    return new TestImages()
        .layer(l1, Compression.GZIP)
        .layer(l2, Compression.ZSTD)
        .layer(l3, Compression.NONE);
  }

  static String withoutSignature(byte[] mtree) {
    return new String(mtree, StandardCharsets.UTF_8)
        .lines()
        .filter(l -> !l.matches("#\\s+(user|machine|tree|date):.*"))
        .collect(Collectors.joining("\n"));
  }

  @Test
  void writesACompleteBundle() throws Exception {
    layout = tmp.resolve("layout");
    Descriptor manifest = layeredImage().write(layout, "v1");
    Path bundle = tmp.resolve("bundle");
    CliRunner.run("unpack", "--image", layout + ":v1", bundle.toString()).assertSuccess();

    assertEquals(0700, FS.lstat(bundle).permissions());
    BundlePaths paths = new BundlePaths(bundle);
    Path rootfs = paths.rootfs();
    assertEquals("#!/bin/sh\necho replaced\n", Files.readString(rootfs.resolve("bin/tool")));
    assertEquals(
        "#!/bin/sh\necho tool\n",
        Files.readString(rootfs.resolve("bin/tool-link")),
        "the hard link keeps the old inode's content");
    assertFalse(Files.exists(rootfs.resolve("bin/gone"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("shorter now", Files.readString(rootfs.resolve("data")));
    assertEquals(04755 & 0777, FS.lstat(rootfs.resolve("bin/tool-link")).permissions() & 0777);

    Spec spec = RuntimeConfigFile.read(paths.configJson());
    assertEquals("rootfs", spec.root().path());
    BundleMeta meta = BundleMeta.read(bundle);
    assertEquals(manifest.digest(), meta.manifest().digest());
    assertEquals("v1", meta.manifest().annotations().get("org.opencontainers.image.ref.name"));
    assertFalse(meta.mapOptions().rootless());

    Path mtreeFile = paths.mtree(manifest.digest());
    assertTrue(Files.isRegularFile(mtreeFile), "missing " + mtreeFile);
    MtreeSpec written = MtreeSpec.read(mtreeFile);
    assertEquals(List.of(), MtreeCompare.check(rootfs, written, Keywords.UMOCI));
    // The digests recorded during extraction give the same file as a walk that hashes every file.
    byte[] hashed = MtreeWalker.umoci().walk(rootfs).toBytes();
    assertEquals(withoutSignature(hashed), withoutSignature(Files.readAllBytes(mtreeFile)));
    assertTrue(
        new String(hashed, StandardCharsets.UTF_8)
            .contains("sha256digest=" + Digest.sha256("shorter now".getBytes()).hex()));
    // The digest cache for the next repack is written beside the bundle's metadata.
    assertTrue(Files.isRegularFile(bundle.resolve(DigestCache.FILE_NAME)));
  }

  @Test
  void idMapsOwnTheFilesAndAreRecorded() throws Exception {
    layout = tmp.resolve("layout");
    layeredImage().write(layout, "v1");
    Path bundle = tmp.resolve("bundle");
    CliRunner.run(
            "unpack",
            "--uid-map",
            "0:100000:65536",
            "--gid-map",
            "0:200000:65536",
            "--image",
            layout + ":v1",
            bundle.toString())
        .assertSuccess();
    Path rootfs = bundle.resolve("rootfs");
    FileStat root = FS.lstat(rootfs);
    assertEquals(100000, root.uid());
    assertEquals(200000, root.gid());
    FileStat motd = FS.lstat(rootfs.resolve("etc/motd"));
    assertEquals(100000, motd.uid());
    BundleMeta meta = BundleMeta.read(bundle);
    assertEquals(List.of(new IdMap(0, 100000, 65536)), meta.mapOptions().uidMaps());
    assertEquals(List.of(new IdMap(0, 200000, 65536)), meta.mapOptions().gidMaps());
    Spec spec = RuntimeConfigFile.read(bundle.resolve("config.json"));
    assertTrue(spec.linux().namespaces().stream().anyMatch(n -> n.type().equals("user")));
  }

  @Test
  void anExistingEmptyBundleDirectoryIsUsed() throws Exception {
    layout = tmp.resolve("layout");
    layeredImage().write(layout, "v1");
    Path bundle = Files.createDirectory(tmp.resolve("bundle"));
    FS.chmod(bundle, 0755);
    CliRunner.run("unpack", "--image", layout + ":v1", bundle.toString()).assertSuccess();
    assertEquals(0700, FS.lstat(bundle).permissions());
    assertTrue(Files.isDirectory(bundle.resolve("rootfs/etc")));
  }

  @Test
  void keepDirlinksKeepsASymlinkToADirectory() throws Exception {
    layout = tmp.resolve("layout");
    byte[] l1 = new TarBuilder().dir("real/").symlink("link", "real").build();
    byte[] l2 = new TarBuilder().dir("link/").file("link/inside", "x").build();
    new TestImages().layer(l1, Compression.GZIP).layer(l2, Compression.GZIP).write(layout, "t");
    Path kept = tmp.resolve("kept");
    CliRunner.run("unpack", "--keep-dirlinks", "--image", layout + ":t", kept.toString())
        .assertSuccess();
    assertTrue(Files.isSymbolicLink(kept.resolve("rootfs/link")));
    assertEquals("x", Files.readString(kept.resolve("rootfs/real/inside")));
    Path replaced = tmp.resolve("replaced");
    CliRunner.run("unpack", "--image", layout + ":t", replaced.toString()).assertSuccess();
    assertFalse(Files.isSymbolicLink(replaced.resolve("rootfs/link")));
    assertEquals("x", Files.readString(replaced.resolve("rootfs/link/inside")));
  }

  @Test
  void mtreeOfRealContentMatchesAfterUnpack() throws Exception {
    layout = tmp.resolve("layout");
    Descriptor manifest = layeredImage().write(layout, "v1");
    Path bundle = tmp.resolve("bundle");
    CliRunner.run("unpack", "--image", layout + ":v1", bundle.toString()).assertSuccess();
    Path mtree = new BundlePaths(bundle).mtree(manifest.digest());
    Files.writeString(bundle.resolve("rootfs/etc/motd"), "changed\n");
    List<InodeDelta> deltas =
        MtreeCompare.check(bundle.resolve("rootfs"), MtreeSpec.read(mtree), Keywords.UMOCI);
    assertEquals(1, deltas.size(), deltas.toString());
    assertTrue(deltas.get(0).describe().contains("etc/motd"), deltas.toString());
  }
}
