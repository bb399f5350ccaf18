package dev.umoci.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.fs.PosixFs;
import dev.umoci.layer.Compression;
import dev.umoci.layer.TarBuilder;
import dev.umoci.layer.TarEntry;
import dev.umoci.layer.TarReader;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.sys.TreeRemover;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 §1a: a directory of the image replaced in the bundle by a symlink (or a file) must not
 * be repacked as the new entry followed by whiteouts below it, which unpackers resolve through the
 * new symlink, deleting what it points at. The repacked layer is unpacked by our jar and by
 * Debian's umoci; both trees must equal the edited bundle's rootfs.
 */
class ReplacedDirectoryRepackTest {
  static final PosixFs FS = PosixFs.host();
  static final String UMOCI = "/usr/bin/umoci";

  @TempDir Path tmp;
  Path layout;
  Path bundle;
  Path rootfs;

  /**
   * Base image: d/{f,sub/g} (d/f hard-linked as keep/h), s/{f,sub/g}, p/q/r/deep, n/a/b/f,
   * keep/other.
   */
  @BeforeEach
  void base() throws Exception {
    layout = tmp.resolve("img");
    ours("init", "--layout", layout.toString());
    ours("new", "--image", layout + ":empty");
    Path tar = tmp.resolve("base.tar");
    Files.write(
        tar,
        new TarBuilder()
            .dir("d/")
            .file("d/f", "lower d/f\n")
            .dir("d/sub/")
            .file("d/sub/g", "lower d/sub/g\n")
            .dir("keep/")
            .hardlink("keep/h", "d/f")
            .file("keep/other", "other\n")
            .dir("n/")
            .dir("n/a/")
            .dir("n/a/b/")
            .file("n/a/b/f", "n/a/b/f\n")
            .dir("p/")
            .dir("p/q/")
            .dir("p/q/r/")
            .file("p/q/r/deep", "deep\n")
            .dir("s/")
            .file("s/f", "s/f\n")
            .dir("s/sub/")
            .file("s/sub/g", "s/sub/g\n")
            .build());
    ours("raw", "add-layer", "--image", layout + ":empty", "--tag", "base", tar.toString());
    bundle = tmp.resolve("bundle");
    ours("unpack", "--image", layout + ":base", bundle.toString());
    rootfs = bundle.resolve("rootfs");
  }

  @Test
  void directoryReplacedBySymlinkKeepsTheLinkTarget() throws Exception {
    removeTree(rootfs.resolve("d"));
    FS.symlink(bytes("s"), rootfs.resolve("d"));
    repackAndCheck("d");
    Path ourTree = unpackOurs();
    assertEquals("s/f\n", Files.readString(ourTree.resolve("s/f")));
    assertEquals("s/sub/g\n", Files.readString(ourTree.resolve("s/sub/g")));
    assertEquals("lower d/f\n", Files.readString(ourTree.resolve("keep/h")));
    assertTrue(Files.isSymbolicLink(ourTree.resolve("d")));
  }

  @Test
  void nestedDirectoriesReplacedBySymlinkAndByFile() throws Exception {
    removeTree(rootfs.resolve("p/q"));
    FS.symlink(bytes("../s"), rootfs.resolve("p/q"));
    removeTree(rootfs.resolve("n/a"));
    Files.writeString(rootfs.resolve("n/a"), "now a file\n");
    Files.delete(rootfs.resolve("keep/other"));
    List<String> names = repackAndCheck("p/q", "n/a");
    assertTrue(names.contains("keep/.wh.other"), "other deletions still have whiteouts: " + names);
    Path ourTree = unpackOurs();
    assertEquals("s/f\n", Files.readString(ourTree.resolve("s/f")));
    assertEquals("now a file\n", Files.readString(ourTree.resolve("n/a")));
    assertFalse(Files.exists(ourTree.resolve("keep/other")));
  }

  @Test
  void hardlinkIntoTheReplacedTreeSurvives() throws Exception {
    // keep/h shares d/f's inode; once d is gone keep/h is the only name of that content (its link
    // count changed, so the layer carries it again as a regular file).
    removeTree(rootfs.resolve("d"));
    FS.symlink(bytes("/s"), rootfs.resolve("d"));
    List<String> names = repackAndCheck("d");
    assertTrue(names.contains("keep/h"), "keep/h re-emitted: " + names);
    Path ourTree = unpackOurs();
    assertEquals("lower d/f\n", Files.readString(ourTree.resolve("keep/h")));
    assertEquals(1, FS.lstat(ourTree.resolve("keep/h")).nlink());
    assertEquals("s/f\n", Files.readString(ourTree.resolve("s/f")));
  }

  /**
   * Repacks the bundle as tag "new" and checks: the layer has no entry below any of {@code
   * replaced}; our unpack and Debian's umoci unpack both give the bundle's rootfs. Returns the
   * layer's entry names.
   */
  private List<String> repackAndCheck(String... replaced) throws Exception {
    ours("repack", "--image", layout + ":new", bundle.toString());
    LayoutChecks.assertValid(layout);
    List<String> names = lastLayerNames();
    for (String r : replaced) {
      assertTrue(names.contains(r), "the replacement entry " + r + " is in the layer: " + names);
      for (String n : names) {
        assertFalse(n.startsWith(r + "/"), "entry " + n + " below replaced " + r + ": " + names);
      }
    }
    RepackInteropTest.assertSameTree(rootfs, unpackOurs());
    Interop.requireTool(UMOCI);
    Path theirs = tmp.resolve("theirs");
    ExternalTool.run(UMOCI, "unpack", "--image", layout + ":new", theirs.toString())
        .assertSuccess();
    RepackInteropTest.assertSameTree(rootfs, theirs.resolve("rootfs"));
    return names;
  }

  private Path unpackOurs() throws Exception {
    Path ourBundle = tmp.resolve("ours");
    if (!Files.exists(ourBundle)) {
      ours("unpack", "--image", layout + ":new", ourBundle.toString());
    }
    return ourBundle.resolve("rootfs");
  }

  private List<String> lastLayerNames() throws Exception {
    List<String> out = new ArrayList<>();
    try (OciLayout l = OciLayout.open(layout)) {
      Descriptor manifest = References.resolveManifest(l, "new").descriptor();
      Manifest m = ImageBlobs.manifest(l, manifest);
      Descriptor layer = m.layers().get(m.layers().size() - 1);
      try (InputStream in =
              Compression.ofMediaType(layer.mediaType()).decompress(l.openBlob(layer));
          TarReader r = new TarReader(in)) {
        TarEntry e;
        while ((e = r.next()) != null) {
          String name = new String(e.name(), StandardCharsets.UTF_8);
          out.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
        }
      }
    }
    return out;
  }

  private static void removeTree(Path dir) throws Exception {
    TreeRemover.direct().remove(dir);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void ours(String... args) {
    CliRunner.run(args).assertSuccess();
  }
}
