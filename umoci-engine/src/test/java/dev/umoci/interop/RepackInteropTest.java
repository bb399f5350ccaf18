package dev.umoci.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.fs.PosixFs;
import dev.umoci.mtree.InodeDelta;
import dev.umoci.mtree.MtreeCompare;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.mtree.MtreeWalker;
import dev.umoci.sys.TreeRemover;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips between our repack/unpack and Debian's umoci 0.4.7 on a real Debian rootfs image
 * ({@code scripts/debian-image.sh small}). The expected tree is the changed bundle's rootfs; the
 * actual tree is what Debian's umoci unpacks from the repacked image; both are walked with umoci's
 * mtree keywords and must not differ.
 */
class RepackInteropTest {
  static final PosixFs FS = PosixFs.host();
  static final String UMOCI = "/usr/bin/umoci";

  @TempDir static Path shared;
  static Path pristine;

  @BeforeAll
  static void image() throws Exception {
    Interop.require(Files.isExecutable(Path.of(UMOCI)), "Debian's umoci is not installed");
    Interop.require(
        "root".equals(System.getProperty("user.name")), "the Debian image fixture needs root");
    Path script = script();
    Interop.require(script != null, "scripts/debian-image.sh not found");
    pristine = shared.resolve("debian");
    ExternalTool.Result r =
        ExternalTool.run("bash", script.toString(), "small", pristine.toString());
    Interop.require(r.exitCode() == 0, "cannot build the Debian image: " + r.stderr());
  }

  static Path script() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path s = p.resolve("scripts/debian-image.sh");
      if (Files.isRegularFile(s)) {
        return s;
      }
    }
    return null;
  }

  /** A private copy of the image layout for one test. */
  static Path copyLayout(Path tmp) throws Exception {
    Path copy = tmp.resolve("layout");
    ExternalTool.run("cp", "-a", pristine.toString(), copy.toString()).assertSuccess();
    return copy;
  }

  static void umoci(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = UMOCI;
    System.arraycopy(args, 0, cmd, 1, args.length);
    ExternalTool.run(cmd).assertSuccess();
  }

  static void ours(String... args) {
    CliRunner.run(args).assertSuccess();
  }

  /** Adds, modifies and deletes files and a directory; changes modes, owners, links, xattrs. */
  static void change(Path rootfs) throws Exception {
    Files.writeString(rootfs.resolve("my_change"), "some change\n");
    Files.writeString(
        rootfs.resolve("etc/issue"), "modified issue\n", java.nio.file.StandardOpenOption.APPEND);
    Files.delete(rootfs.resolve("etc/hostname"));
    TreeRemover.direct().remove(rootfs.resolve("usr/share/doc/bash"));
    Files.createDirectories(rootfs.resolve("opt/newdir/sub"));
    Files.writeString(rootfs.resolve("opt/newdir/sub/file"), "nested\n");
    FS.chmod(rootfs.resolve("etc/motd"), 0700);
    FS.chmod(rootfs.resolve("opt/newdir"), 0750);
    FS.lchown(rootfs.resolve("etc/issue.net"), 1000, 1001);
    FS.symlink("../my_change".getBytes(StandardCharsets.UTF_8), rootfs.resolve("etc/link"));
    Files.createLink(rootfs.resolve("opt/hardlink"), rootfs.resolve("my_change"));
    FS.setXattr(rootfs.resolve("my_change"), "user.text", "hello".getBytes(StandardCharsets.UTF_8));
    FS.setXattr(
        rootfs.resolve("etc/motd"), "user.bin", new byte[] {0, (byte) 0xff, (byte) 0x80, 10});
    FS.chmod(rootfs.resolve("opt/newdir/sub/file"), 04755);
  }

  /**
   * Debian's umoci 0.4.7 rounds mtimes to the nearest second when it writes a layer (0.6 and we
   * truncate); before it repacks, make every time whole so both agree.
   */
  static void wholeSecondTimes(Path rootfs) throws Exception {
    try (Stream<Path> s = Files.walk(rootfs)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        var st = FS.lstat(p);
        long whole = Math.floorDiv(st.mtimeNanos(), 1_000_000_000L) * 1_000_000_000L;
        FS.setTimes(p, st.atimeNanos(), whole);
      }
    }
  }

  static void assertSameTree(Path expected, Path actual) throws Exception {
    MtreeWalker walker = MtreeWalker.builder().header(null).build();
    MtreeSpec want = walker.walk(expected);
    MtreeSpec got = walker.walk(actual);
    List<InodeDelta> deltas = MtreeCompare.compare(want, got, walker.keywords());
    assertEquals(List.of(), deltas.stream().map(InodeDelta::describe).toList());
  }

  @Test
  void debianUnpackOurRepackDebianUnpack(@TempDir Path tmp) throws Exception {
    Path layout = copyLayout(tmp);
    Path bundle = tmp.resolve("bundle");
    umoci("unpack", "--image", layout + ":small", bundle.toString());
    change(bundle.resolve("rootfs"));
    ours("repack", "--image", layout + ":new", bundle.toString());
    LayoutChecks.assertValid(layout);
    Path bundle2 = tmp.resolve("bundle2");
    umoci("unpack", "--image", layout + ":new", bundle2.toString());
    assertSameTree(bundle.resolve("rootfs"), bundle2.resolve("rootfs"));
    assertFalse(Files.exists(bundle2.resolve("rootfs/usr/share/doc/bash")));
  }

  @Test
  void ourUnpackDebianRepackDebianUnpack(@TempDir Path tmp) throws Exception {
    Path layout = copyLayout(tmp);
    Path bundle = tmp.resolve("bundle");
    ours("unpack", "--image", layout + ":small", bundle.toString());
    change(bundle.resolve("rootfs"));
    wholeSecondTimes(bundle.resolve("rootfs"));
    umoci("repack", "--image", layout + ":new", bundle.toString());
    LayoutChecks.assertValid(layout);
    Path bundle2 = tmp.resolve("bundle2");
    umoci("unpack", "--image", layout + ":new", bundle2.toString());
    assertSameTree(bundle.resolve("rootfs"), bundle2.resolve("rootfs"));
  }

  @Test
  void ourUnpackOurRepackWithRefreshTwiceDebianUnpack(@TempDir Path tmp) throws Exception {
    Path layout = copyLayout(tmp);
    Path bundle = tmp.resolve("bundle");
    ours("unpack", "--image", layout + ":small", bundle.toString());
    change(bundle.resolve("rootfs"));
    ours("repack", "--refresh-bundle", "--image", layout + ":one", bundle.toString());
    Files.writeString(bundle.resolve("rootfs/second"), "second\n");
    ours("repack", "--image", layout + ":two", bundle.toString());
    LayoutChecks.assertValid(layout);
    Path bundle2 = tmp.resolve("bundle2");
    umoci("unpack", "--image", layout + ":two", bundle2.toString());
    assertSameTree(bundle.resolve("rootfs"), bundle2.resolve("rootfs"));
    // Debian's umoci repacks the refreshed bundle as well (our mtree and umoci.json are its own).
    Files.writeString(bundle.resolve("rootfs/third"), "third\n");
    wholeSecondTimes(bundle.resolve("rootfs"));
    umoci("repack", "--image", layout + ":three", bundle.toString());
    Path bundle3 = tmp.resolve("bundle3");
    umoci("unpack", "--image", layout + ":three", bundle3.toString());
    assertSameTree(bundle.resolve("rootfs"), bundle3.resolve("rootfs"));
  }

  /** The README walk-through, typed as a user would. */
  @Test
  void walkThrough(@TempDir Path tmp) throws Exception {
    Path layout = copyLayout(tmp);
    String img = layout.toString();
    Path bundle = tmp.resolve("bundle");
    ours("unpack", "--image", img + ":small", bundle.toString());
    Files.writeString(bundle.resolve("rootfs/my_change"), "some change\n");
    ours("repack", "--image", img + ":new", bundle.toString());
    Path bundle2 = tmp.resolve("bundle2");
    umoci("unpack", "--image", img + ":new", bundle2.toString());
    ExternalTool.Result cat =
        ExternalTool.run("cat", bundle2.resolve("rootfs/my_change").toString());
    assertEquals("some change\n", cat.assertSuccess().stdout());
    LayoutChecks.assertValid(layout);
    assertTrue(Files.exists(bundle.resolve("umoci.json")));
  }
}
