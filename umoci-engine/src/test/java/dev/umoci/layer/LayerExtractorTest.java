package dev.umoci.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.UnsafeArchiveEntryException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.IdMap;
import dev.umoci.fs.IdMapping;
import dev.umoci.fs.PosixFs;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerExtractorTest {
  private static final PosixFs FS = PosixFs.host();
  @TempDir Path tmp;
  Path rootfs;
  Path sentinel;
  Map<String, String> sentinelBefore;

  @BeforeEach
  void setUp() throws IOException {
    rootfs = Files.createDirectory(tmp.resolve("rootfs"));
    sentinel = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(sentinel.resolve("secret"), "keep");
    Files.createDirectory(sentinel.resolve("dir"));
    Files.writeString(sentinel.resolve("dir/x"), "keep too");
    Files.writeString(tmp.resolve("escape"), "sibling");
    Files.writeString(tmp.resolve("outside-file"), "o");
    sentinelBefore = snapshot(tmp, true);
  }

  @AfterEach
  void nothingOutsideTheRootfsChanged() throws IOException {
    assertEquals(sentinelBefore, snapshot(tmp, true), "files outside the rootfs changed");
  }

  /** Content and metadata of everything under dir except the rootfs. */
  private Map<String, String> snapshot(Path dir, boolean skipRootfs) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (skipRootfs && p.startsWith(rootfs)) {
          continue;
        }
        if (p.equals(dir)) {
          continue;
        }
        FileStat st = FS.lstat(p);
        String content = st.isRegularFile() ? Files.readString(p) : "";
        out.put(
            dir.relativize(p).toString(),
            st.mode() + ":" + st.uid() + ":" + st.gid() + ":" + st.mtimeNanos() + ":" + content);
      }
    }
    return out;
  }

  private void apply(TarBuilder b) throws IOException {
    LayerExtractor.apply(b.stream(), rootfs, ExtractOptions.defaults());
  }

  private void apply(TarBuilder b, ExtractOptions o) throws IOException {
    LayerExtractor.apply(b.stream(), rootfs, o);
  }

  private String read(String rel) throws IOException {
    return Files.readString(rootfs.resolve(rel));
  }

  private boolean exists(String rel) {
    return Files.exists(rootfs.resolve(rel), LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void dotDotAndAbsoluteNamesAreCleanedIntoTheRootfs() throws IOException {
    apply(
        new TarBuilder()
            .file("../escape", "a")
            .file("/abs", "b")
            .file("a/../../x", "c")
            .file("../../outside/secret", "d"));
    assertEquals("a", read("escape"));
    assertEquals("b", read("abs"));
    assertEquals("c", read("x"));
    assertEquals("d", read("outside/secret"));
  }

  @Test
  void writesThroughSymlinksStayInside() throws IOException {
    apply(
        new TarBuilder()
            .symlink("evil", "/")
            .file("evil/etc/passwd", "root")
            .symlink("up", "../../..")
            .file("up/outside-file", "through")
            .symlink("abs-outside", "/" + tmp.resolve("outside"))
            .file("abs-outside/secret", "nope"));
    assertEquals("root", read("etc/passwd"));
    assertEquals("through", read("outside-file"));
    assertEquals(
        "nope",
        read(
            tmp.relativize(sentinel).toString().isEmpty()
                ? ""
                : tmp.resolve("outside").toString().substring(1) + "/secret"));
    assertTrue(Files.isSymbolicLink(rootfs.resolve("evil")));
  }

  @Test
  void aNameRepeatedInADirectoryTheLayerCreatedReplacesTheFirst() throws IOException {
    // Paths in a directory this layer created are not looked up before they are written unless
    // the layer wrote them already: a repeated name must still replace the first entry.
    apply(
        new TarBuilder()
            .dir("d")
            .file("d/f", "1")
            .file("d/f", "2")
            .symlink("d/l", "f")
            .file("d/l", "not a link")
            .file("x/y/z", "implicit parents")
            .file("x/y/z", "again"));
    assertEquals("2", read("d/f"));
    assertFalse(Files.isSymbolicLink(rootfs.resolve("d/l")));
    assertEquals("not a link", read("d/l"));
    assertEquals("again", read("x/y/z"));
  }

  @Test
  void directoriesReplacedBySymlinksLaterInTheSameLayerAreResolvedAgain() throws IOException {
    // The extractor remembers directories it resolved; a directory that an entry removes or
    // replaces must be forgotten with everything below it, or a later entry would be written
    // through the symlink that replaced it without confinement.
    apply(
        new TarBuilder()
            .dir("a")
            .file("a/f", "1")
            .symlink("a", "../../outside")
            .file("a/pwn", "2")
            .dir("c/d")
            .file("c/d/f", "3")
            .symlink("c", "/" + tmp.resolve("outside").toString().substring(1))
            .file("c/d/pwn", "4")
            .dir("w")
            .file("w/x", "5")
            .whiteout("w")
            .symlink("w", "/")
            .file("w/y", "6"));
    assertTrue(Files.isSymbolicLink(rootfs.resolve("a")));
    assertEquals("2", read("outside/pwn"));
    assertTrue(Files.isSymbolicLink(rootfs.resolve("c")));
    String outsideInRoot = tmp.resolve("outside").toString().substring(1);
    assertEquals("4", read(outsideInRoot + "/d/pwn"));
    assertEquals("6", read("y"));
  }

  @Test
  void absoluteDirectorySymlinkIsFollowedInsideTheRootfs() throws IOException {
    apply(
        new TarBuilder()
            .dir("run")
            .dir("var")
            .symlink("var/run", "/run")
            .dir("var/run/lock")
            .file("var/run/lock/x", "lock"));
    assertEquals("lock", read("run/lock/x"));
    assertTrue(Files.isSymbolicLink(rootfs.resolve("var/run")));
  }

  @Test
  void hardlinkTargetsResolveInsideTheRootfs() throws IOException {
    Files.writeString(rootfs.resolve("outside"), "inner");
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/shadow"), "inner shadow");
    apply(
        new TarBuilder()
            .hardlink("h1", "../../outside")
            .hardlink("h2", "/etc/shadow")
            .file("orig", "same inode")
            .hardlink("h3", "orig"));
    assertEquals("inner", read("h1"));
    assertEquals("inner shadow", read("h2"));
    assertEquals(FS.lstat(rootfs.resolve("orig")).ino(), FS.lstat(rootfs.resolve("h3")).ino());
    assertEquals(2, FS.lstat(rootfs.resolve("orig")).nlink());
  }

  @Test
  void hardlinkToMissingTargetIsAnError() {
    InvalidImageException e =
        assertThrows(
            InvalidImageException.class, () -> apply(new TarBuilder().hardlink("h", "missing")));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void rootEntryMustBeADirectory() throws IOException {
    for (TarBuilder b :
        List.of(
            new TarBuilder().file("/", "x"),
            new TarBuilder().symlink(".", "/etc"),
            new TarBuilder().symlink("./", "../.."),
            new TarBuilder().file("a/..", "x"))) {
      UnsafeArchiveEntryException e =
          assertThrows(UnsafeArchiveEntryException.class, () -> apply(b));
      assertTrue(e.getMessage().contains("refusing to change type of root directory"));
    }
    assertTrue(Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS));
    // a directory entry for the root only changes its metadata
    apply(new TarBuilder().dir("./").mode(0711).owner(5, 6).mtime(1234));
    FileStat st = FS.lstat(rootfs);
    assertEquals(0711, st.permissions());
    assertEquals(5, st.uid());
    assertEquals(1234_000_000_000L, st.mtimeNanos());
  }

  @Test
  void maliciousWhiteoutsAreRefused() throws IOException {
    Files.writeString(rootfs.resolve("keep"), "k");
    for (String name : List.of(".wh...", "a/.wh...", ".wh..", "sub/.wh..", ".wh.", "a/.wh.")) {
      UnsafeArchiveEntryException e =
          assertThrows(
              UnsafeArchiveEntryException.class,
              () -> apply(new TarBuilder().file(name, "")),
              name);
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
    assertEquals("k", read("keep"));
  }

  @Test
  void whiteoutsRemoveLowerLayerContentOnly() throws IOException {
    apply(
        new TarBuilder()
            .dir("a")
            .file("a/lower", "1")
            .dir("b")
            .file("b/lower", "2")
            .file("gone", "3")
            .symlink("link", "/a"));
    apply(
        new TarBuilder()
            .whiteout("gone")
            .whiteout("link")
            .whiteout("nonexistent")
            .whiteout("gone/deeper")
            // opaque after a same-layer child
            .file("a/upper", "new")
            .opaque("a")
            // opaque before a same-layer child
            .opaque("b")
            .file("b/upper", "new"));
    assertFalse(exists("gone"));
    assertFalse(exists("link"));
    assertTrue(exists("a"), "opaque keeps its directory");
    assertFalse(exists("a/lower"));
    assertEquals("new", read("a/upper"));
    assertFalse(exists("b/lower"));
    assertEquals("new", read("b/upper"));
  }

  @Test
  void whiteoutNeverDeletesWhatTheSameLayerWrote() throws IOException {
    apply(new TarBuilder().dir("d").file("d/old", "o"));
    apply(new TarBuilder().file("d/new", "n").whiteout("d").file("x", "1").whiteout("x"));
    assertEquals("n", read("d/new"));
    assertFalse(exists("d/old"));
    assertEquals("1", read("x"));
  }

  @Test
  void typeChangesBetweenLayers() throws IOException {
    apply(
        new TarBuilder()
            .file("f2d", "file")
            .dir("d2s")
            .file("d2s/child", "c")
            .symlink("s2f", "/etc")
            .dir("etc"));
    apply(
        new TarBuilder()
            .dir("f2d")
            .file("f2d/inner", "i")
            .symlink("d2s", "target")
            .file("s2f", "now a file"));
    assertTrue(Files.isDirectory(rootfs.resolve("f2d"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("i", read("f2d/inner"));
    assertTrue(Files.isSymbolicLink(rootfs.resolve("d2s")));
    assertEquals("target", Files.readSymbolicLink(rootfs.resolve("d2s")).toString());
    assertFalse(Files.isSymbolicLink(rootfs.resolve("s2f")));
    assertEquals("now a file", read("s2f"));
    assertTrue(Files.isDirectory(rootfs.resolve("etc")), "never wrote through the old symlink");
  }

  @Test
  void nonDirectoryParentIsReplacedByADirectory() throws IOException {
    apply(new TarBuilder().file("p", "file"));
    apply(new TarBuilder().file("p/child", "c"));
    assertEquals("c", read("p/child"));
  }

  @Test
  void fileReplacingASymlinkDoesNotWriteThroughIt() throws IOException {
    Files.writeString(rootfs.resolve("target"), "original");
    Files.createSymbolicLink(rootfs.resolve("link"), Path.of("target"));
    apply(new TarBuilder().file("link", "replaced"));
    assertEquals("original", read("target"));
    assertEquals("replaced", read("link"));
  }

  @Test
  void keepDirlinksWritesThroughDirectorySymlinks() throws IOException {
    Files.createDirectories(rootfs.resolve("usr/lib64"));
    Files.createSymbolicLink(rootfs.resolve("lib64"), Path.of("usr/lib64"));
    apply(
        new TarBuilder().dir("lib64").file("lib64/libc.so", "c"),
        ExtractOptions.defaults().withKeepDirlinks(true));
    assertTrue(Files.isSymbolicLink(rootfs.resolve("lib64")));
    assertEquals("c", read("usr/lib64/libc.so"));
    apply(new TarBuilder().dir("lib64").file("lib64/other", "o"));
    assertFalse(Files.isSymbolicLink(rootfs.resolve("lib64")), "without the flag it is replaced");
  }

  @Test
  void modesOwnersXattrsAndSpecialFiles() throws IOException {
    byte[] cap = TarCodecTest.CAP;
    apply(
        new TarBuilder()
            .file("suid", "s")
            .mode(04755)
            .owner(1000, 1000)
            .xattr("security.capability", cap)
            .xattr("user.bin", TarCodecTest.BINARY)
            .xattr("security.selinux", "system_u:object_r:bin_t:s0")
            .file("sgid", "g")
            .mode(02711)
            .dir("tmp")
            .mode(01777)
            .charDevice("null", 1, 3)
            .mode(0666)
            .blockDevice("loop", 7, 0)
            .fifo("fifo")
            .mode(0620)
            .owner(7, 8)
            .symlink("slink", "dangling//target/")
            .owner(9, 10));
    FileStat suid = FS.lstat(rootfs.resolve("suid"));
    assertEquals(04755, suid.permissions(), "setuid survives chown");
    assertEquals(1000, suid.uid());
    assertArrayEquals(cap, FS.getXattr(rootfs.resolve("suid"), "security.capability"));
    assertArrayEquals(TarCodecTest.BINARY, FS.getXattr(rootfs.resolve("suid"), "user.bin"));
    assertNull(FS.getXattr(rootfs.resolve("suid"), "security.selinux"), "forbidden xattr");
    assertEquals(02711, FS.lstat(rootfs.resolve("sgid")).permissions());
    assertEquals(01777, FS.lstat(rootfs.resolve("tmp")).permissions());
    FileStat nul = FS.lstat(rootfs.resolve("null"));
    assertEquals(FileStat.S_IFCHR, nul.type());
    assertEquals(FileStat.makedev(1, 3), nul.rdev());
    assertEquals(FileStat.S_IFBLK, FS.lstat(rootfs.resolve("loop")).type());
    FileStat fifo = FS.lstat(rootfs.resolve("fifo"));
    assertEquals(FileStat.S_IFIFO, fifo.type());
    assertEquals(0620, fifo.permissions());
    assertEquals(7, fifo.uid());
    assertArrayEquals(
        "dangling//target/".getBytes(StandardCharsets.UTF_8),
        FS.readlink(rootfs.resolve("slink")),
        "symlink target stored verbatim");
    assertEquals(9, FS.lstat(rootfs.resolve("slink")).uid());
  }

  @Test
  void everyModeIsExactWhetherOrNotTheOwnerChanges() throws IOException {
    // Files are created with their entry's permission bits; chown and chmod are skipped when
    // owner and mode are already right. Special bits, modes the umask would narrow, and files that
    // replace files of another mode and owner must all still come out exact.
    int[] modes = {0644, 0755, 0444, 0000, 0777, 0666, 04755, 02755, 01755, 06711, 0700};
    TarBuilder first = new TarBuilder();
    TarBuilder second = new TarBuilder();
    for (int mode : modes) {
      String name = Integer.toOctalString(mode);
      first.file("root-" + name, "r").mode(mode);
      first.file("user-" + name, "u").mode(mode).owner(1000, 1001);
      first.dir("dir-" + name).mode(mode | 0700);
      first.file("swap-" + name, "old").mode(04777).owner(1000, 1001);
      second.file("swap-" + name, "new").mode(mode);
    }
    apply(first);
    apply(second);
    for (int mode : modes) {
      String name = Integer.toOctalString(mode);
      FileStat root = FS.lstat(rootfs.resolve("root-" + name));
      assertEquals(mode, root.permissions(), "root-" + name);
      assertEquals(0, root.uid());
      FileStat user = FS.lstat(rootfs.resolve("user-" + name));
      assertEquals(mode, user.permissions(), "user-" + name);
      assertEquals(1000, user.uid());
      assertEquals(1001, user.gid());
      assertEquals(mode | 0700, FS.lstat(rootfs.resolve("dir-" + name)).permissions());
      FileStat swapped = FS.lstat(rootfs.resolve("swap-" + name));
      assertEquals(mode, swapped.permissions(), "swap-" + name);
      assertEquals(0, swapped.uid(), "swap-" + name);
      assertEquals("new", read("swap-" + name));
    }
  }

  @Test
  void idMappingMapsContainerIdsToHostIds() throws IOException {
    IdMapping map =
        new IdMapping(
            List.of(new IdMap(0, 100000, 65536)), List.of(new IdMap(0, 200000, 65536)), false);
    apply(new TarBuilder().file("f", "x").owner(5, 6), ExtractOptions.of(map));
    FileStat st = FS.lstat(rootfs.resolve("f"));
    assertEquals(100005, st.uid());
    assertEquals(200006, st.gid());
    assertThrows(
        InvalidImageException.class,
        () -> apply(new TarBuilder().file("g", "x").owner(70000, 0), ExtractOptions.of(map)));
  }

  @Test
  void awkwardNamesKeepTheirBytes() throws IOException {
    byte[] raw = {'n', 'o', 't', (byte) 0xff, 'u', 't', 'f', '8'};
    apply(
        new TarBuilder()
            .file("with space", "1")
            .file("new\nline", "2")
            .file("back\\slash", "3")
            .file(raw, "4".getBytes(StandardCharsets.UTF_8))
            .file("ünï/名前", "5"));
    assertEquals("1", read("with space"));
    assertEquals("2", read("new\nline"));
    assertEquals("3", read("back\\slash"));
    assertEquals("4", Files.readString(PathBytes.resolve(rootfs, raw)));
    assertEquals("5", read("ünï/名前"));
  }

  @Test
  void directoryTimesSurviveTheirChildren() throws IOException {
    apply(
        new TarBuilder()
            .dir("d")
            .mtime(1000)
            .file("d/a", "a")
            .mtime(2000)
            .dir("d/sub")
            .mtime(3000)
            .file("d/sub/b", "b")
            .file("top", "t"));
    assertEquals(1000_000_000_000L, FS.lstat(rootfs.resolve("d")).mtimeNanos());
    assertEquals(3000_000_000_000L, FS.lstat(rootfs.resolve("d/sub")).mtimeNanos());
    assertEquals(2000_000_000_000L, FS.lstat(rootfs.resolve("d/a")).mtimeNanos());
    // a later layer touching d's children keeps d's time as well
    apply(new TarBuilder().file("d/c", "c").whiteout("d/a"));
    assertEquals(1000_000_000_000L, FS.lstat(rootfs.resolve("d")).mtimeNanos());
    assertEquals(
        TarBuilder.DEFAULT_MTIME * 1_000_000_000L, FS.lstat(rootfs.resolve("d/c")).mtimeNanos());
  }

  @Test
  void subSecondTimesAndAtime() throws IOException {
    apply(new TarBuilder().file("f", "x").mtimeNanos(1_234_567_891L).atimeNanos(987_654_321L));
    FileStat st = FS.lstat(rootfs.resolve("f"));
    assertEquals(1_234_567_891L, st.mtimeNanos());
    assertEquals(987_654_321L, st.atimeNanos());
  }

  @Test
  void prepareRootfsOwnsAndDatesIt() throws IOException {
    Path fresh = tmp.resolve("rootfs/nested-bundle-rootfs");
    IdMapping map =
        new IdMapping(List.of(new IdMap(0, 1234, 1)), List.of(new IdMap(0, 4321, 1)), false);
    LayerBlobUnpacker.prepareRootfs(fresh, map, FS);
    FileStat st = FS.lstat(fresh);
    assertEquals(1234, st.uid());
    assertEquals(4321, st.gid());
    assertEquals(0, st.mtimeNanos());
    assertEquals(0, st.atimeNanos());
  }
}
