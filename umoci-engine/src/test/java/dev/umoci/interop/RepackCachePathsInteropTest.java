package dev.umoci.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.bundle.BundleMtree;
import dev.umoci.bundle.DigestCache;
import dev.umoci.fs.PosixFs;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's byte-for-byte check of repack's three ways of finding the change, on the real Debian
 * image: the same change made to a bundle we unpacked (its digest cache vouches for every unchanged
 * path: the cached path), to that bundle copied with {@code cp -a} (new inodes and ctimes, so no
 * record matches and every path is described and hashed: the uncached path) and to a bundle
 * unpacked by Debian's umoci (no cache at all: the old mtree is parsed) must give the same layer
 * digest; a second repack of each with {@code --refresh-bundle} (which hashes through the digests
 * the first repack left in the cache) must give that layer again and write the same mtree bytes.
 * The bundles live on a tmpfs (see {@link #setUp}).
 */
class RepackCachePathsInteropTest {
  static final String TAG = "small";

  /** Fixed times set on everything the change touches, so the three layers can be equal. */
  static final String MTIME = "@1700000000.123456789";

  Path work;

  @BeforeEach
  void setUp() throws Exception {
    Path fixture = DebianImages.small();
    // On a tmpfs: a directory's size there follows from its entries, while on ext4 the copy made
    // by cp -a may get another size (htree blocks fill in another order), which the mtree records
    // (size=), so that directory would rightly be in the copied bundle's layer.
    Path tmpfs = Path.of("/dev/shm");
    Interop.require(Files.isDirectory(tmpfs), "needs a tmpfs at /dev/shm");
    work = Files.createTempDirectory(tmpfs, "umoci-repack-paths-");
    PosixFs.host().chmod(work, 0755);
    ExternalTool.run("cp", "-a", fixture.toString(), work.resolve("layout").toString())
        .assertSuccess();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (work != null) {
      ExternalTool.run("rm", "-rf", work.toString()).assertSuccess();
    }
  }

  /** What one way of repacking gave. */
  record Outcome(String layer, String refreshedLayer, String mtree) {}

  @Test
  void cachedCopiedAndUmociUnpackedBundlesGiveTheSameLayerAndTheSameRefreshedMtree()
      throws Exception {
    Outcome cached = repack("cached");
    Outcome copied = repack("copied");
    Outcome goUnpacked = repack("umoci");
    LayoutChecks.assertValid(work.resolve("layout"));

    sameLayer(cached.layer(), cached.refreshedLayer(), "cached, refreshed");
    sameLayer(cached.layer(), copied.layer(), "cp -a bundle (uncached path)");
    sameLayer(cached.layer(), goUnpacked.layer(), "bundle unpacked by umoci");
    sameLayer(cached.layer(), copied.refreshedLayer(), "cp -a bundle, refreshed");
    sameLayer(cached.layer(), goUnpacked.refreshedLayer(), "bundle unpacked by umoci, refreshed");
    assertEquals(cached.mtree(), copied.mtree(), "mtree written after the uncached repack");
    assertEquals(cached.mtree(), goUnpacked.mtree(), "mtree written for the umoci bundle");
  }

  /** Asserts equal layer digests; when they differ, the message lists both layers' entries. */
  void sameLayer(String expected, String actual, String what) throws Exception {
    if (!expected.equals(actual)) {
      assertEquals(listing(expected), listing(actual), what + ": layers differ");
    }
    assertEquals(expected, actual, what);
  }

  String listing(String digest) throws Exception {
    Path blob = work.resolve("layout/blobs/sha256").resolve(digest.substring("sha256:".length()));
    return ExternalTool.run("tar", "--full-time", "-tvzf", blob.toString())
        .assertSuccess()
        .stdout();
  }

  /**
   * Unpacks the image into {@code work/bundle} the way {@code how} names, makes the change, repacks
   * it (tag {@code how}) and repacks it again with {@code --refresh-bundle} (tag {@code how-r}).
   * Every way uses the same bundle path, so that the mtree's signature lines are the only ones that
   * may differ (they hold the date).
   */
  Outcome repack(String how) throws Exception {
    Path layout = work.resolve("layout");
    Path bundle = work.resolve("bundle");
    String image = layout + ":" + TAG;
    switch (how) {
      case "cached" -> CliRunner.run("unpack", "--image", image, bundle.toString()).assertSuccess();
      case "copied" -> {
        Path first = work.resolve("first");
        CliRunner.run("unpack", "--image", image, first.toString()).assertSuccess();
        ExternalTool.run("cp", "-a", first.toString(), bundle.toString()).assertSuccess();
        ExternalTool.run("rm", "-rf", first.toString()).assertSuccess();
      }
      case "umoci" -> DebianUnpackInteropTest.umoci("unpack", "--image", image, bundle.toString());
      default -> throw new IllegalArgumentException(how);
    }
    checkCacheState(how, bundle);
    change(bundle.resolve("rootfs"));

    CliRunner.run("repack", "--image", layout + ":" + how, bundle.toString()).assertSuccess();
    String layer = lastLayer(layout, how);
    assertEquals(layerCount(layout, TAG) + 1, layerCount(layout, how), how + ": one layer added");
    CliRunner.run(
            "repack", "--refresh-bundle", "--image", layout + ":" + how + "-r", bundle.toString())
        .assertSuccess();
    String refreshed = lastLayer(layout, how + "-r");
    String mtree =
        DebianUnpackInteropTest.withoutSignature(DebianUnpackInteropTest.mtreeOf(bundle));
    ExternalTool.run("rm", "-rf", bundle.toString()).assertSuccess();
    return new Outcome(layer, refreshed, mtree);
  }

  /** The three ways really start from different cache states. */
  static void checkCacheState(String how, Path bundle) throws Exception {
    Path cacheFile = bundle.resolve(DigestCache.FILE_NAME);
    if (how.equals("umoci")) {
      assertFalse(Files.exists(cacheFile), "Debian's umoci writes no digest cache");
      return;
    }
    byte[] mtree = BundleMtree.readBytes(DebianUnpackInteropTest.mtreeOf(bundle));
    String context =
        BundleMtree.context(
            BundleMtree.walker(bundle.resolve("rootfs"), false, DigestCache.empty()), false);
    assertTrue(
        DigestCache.load(bundle).isBoundTo(mtree, context),
        how + ": the cache of our unpack is bound to its mtree (cp -a keeps the file)");
  }

  /**
   * Modifies, adds (small and large files, a hard link, a symlink, a directory), deletes (a file
   * and a directory) and chmods, then sets every touched path's times to {@link #MTIME}.
   */
  static void change(Path rootfs) throws Exception {
    Files.writeString(rootfs.resolve("etc/motd"), "changed by the repack paths test\n");
    Path data = Files.createDirectories(rootfs.resolve("opt/data"));
    Random random = new Random(16);
    for (int i = 0; i < 8; i++) {
      byte[] bytes = new byte[i == 0 ? 3 << 20 : 1000 * i];
      random.nextBytes(bytes);
      Files.write(data.resolve("f" + i), bytes);
    }
    Files.createLink(data.resolve("hardlink"), data.resolve("f0"));
    Files.createSymbolicLink(data.resolve("symlink"), Path.of("f1"));
    Files.delete(rootfs.resolve("etc/issue"));
    ExternalTool.run("rm", "-rf", rootfs.resolve("usr/share/doc/sed").toString()).assertSuccess();
    PosixFs.host().chmod(rootfs.resolve("etc/hostname"), 0600);

    List<String> touch = new ArrayList<>(List.of("touch", "-h", "-d", MTIME));
    try (Stream<Path> added = Files.list(data)) {
      added.forEach(p -> touch.add(p.toString()));
    }
    for (String p :
        List.of("etc/motd", "etc/hostname", "etc", "opt", "opt/data", "usr/share/doc")) {
      touch.add(rootfs.resolve(p).toString());
    }
    ExternalTool.run(touch).assertSuccess();
  }

  static int layerCount(Path layout, String tag) throws Exception {
    try (OciLayout l = OciLayout.open(layout)) {
      return ImageBlobs.manifest(l, References.resolveManifest(l, tag).descriptor())
          .layers()
          .size();
    }
  }

  static String lastLayer(Path layout, String tag) throws Exception {
    try (OciLayout l = OciLayout.open(layout)) {
      Manifest m = ImageBlobs.manifest(l, References.resolveManifest(l, tag).descriptor());
      List<Descriptor> layers = m.layers();
      return layers.get(layers.size() - 1).digest().toString();
    }
  }
}
