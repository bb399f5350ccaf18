package dev.umoci.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.sun.jna.Native;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.testing.Interop;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Rootless extraction for real: a child JVM runs {@link RootlessExtractMain} as user nobody (65534)
 * through setpriv, so chown, mknod and security.* xattrs really fail with EPERM and directories
 * without owner write permission really refuse new entries.
 */
class RootlessExtractionTest {
  private static final int NOBODY = 65534;
  private static final PosixFs FS = PosixFs.host();
  private Path work;

  @BeforeEach
  void setUp() throws IOException {
    Interop.require(
        "root".equals(System.getProperty("user.name"))
            && Files.isExecutable(Path.of("/usr/bin/setpriv")),
        "needs root and setpriv to switch to an unprivileged user");
    work = Files.createTempDirectory("umoci-rootless-");
    FS.chmod(work, 0755);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (work != null) {
      new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
    }
  }

  private static Path jarOf(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** Classes and jars copied where nobody can read them. */
  private String classpath() throws Exception {
    Path cp = Files.createDirectory(work.resolve("cp"));
    List<String> entries = new ArrayList<>();
    entries.add(jarOf(LayerExtractor.class).toString());
    entries.add(jarOf(RootlessExtractMain.class).toString());
    for (Class<?> c :
        List.of(
            Native.class,
            LoggerFactory.class,
            JsonProperty.class,
            org.slf4j.simple.SimpleServiceProvider.class)) {
      Path jar = jarOf(c);
      Path copy = cp.resolve(jar.getFileName());
      Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
      FS.chmod(copy, 0644);
      entries.add(copy.toString());
    }
    FS.chmod(cp, 0755);
    return String.join(File.pathSeparator, entries);
  }

  @Test
  void extractsAsAnUnprivilegedUser() throws Exception {
    Path rootfs = Files.createDirectory(work.resolve("rootfs"));
    Path outside = Files.createDirectory(work.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "keep");
    FS.lchown(rootfs, NOBODY, NOBODY);
    Path layer1 =
        new TarBuilder()
            .dir("ro")
            .mode(0555)
            .file("ro/lower", "lower")
            .file("owned", "o")
            .owner(1000, 1001)
            .mode(04755)
            .file("cap", "c")
            .mode(0755)
            .xattr("security.capability", TarCodecTest.CAP)
            .xattr("user.keep", TarCodecTest.BINARY)
            .charDevice("dev/null", 1, 3)
            .mode(0666)
            .symlink("escape", "../outside")
            .dir("locked")
            .mode(0)
            .writeTo(work.resolve("l1.tar"));
    Path layer2 =
        new TarBuilder()
            .file("ro/upper", "upper")
            .whiteout("ro/lower")
            .file("escape/secret", "replaced")
            .whiteout("locked")
            .writeTo(work.resolve("l2.tar"));
    for (Path p : List.of(layer1, layer2)) {
      FS.chmod(p, 0644);
    }

    Process p =
        new ProcessBuilder(
                "setpriv",
                "--reuid=" + NOBODY,
                "--regid=" + NOBODY,
                "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens",
                "java.base/sun.nio.fs=ALL-UNNAMED",
                "-cp",
                classpath(),
                RootlessExtractMain.class.getName(),
                rootfs.toString(),
                layer1.toString(),
                layer2.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);

    assertEquals("keep", Files.readString(outside.resolve("secret")));
    assertEquals(0555, FS.lstat(rootfs.resolve("ro")).permissions());
    assertEquals("upper", Files.readString(rootfs.resolve("ro/upper")));
    assertFalse(Files.exists(rootfs.resolve("ro/lower"), LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(rootfs.resolve("locked"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("replaced", Files.readString(rootfs.resolve("outside/secret")));

    FileStat owned = FS.lstat(rootfs.resolve("owned"));
    assertEquals(NOBODY, owned.uid(), "no chown in rootless mode");
    assertEquals(04755, owned.permissions());
    RootlessContainersXattr.Owner recorded =
        RootlessContainersXattr.decode(
            FS.getXattr(rootfs.resolve("owned"), RootlessContainersXattr.NAME));
    assertEquals(new RootlessContainersXattr.Owner(1000, 1001), recorded);

    assertNull(FS.getXattr(rootfs.resolve("cap"), "security.capability"), "EPERM ignored");
    assertArrayEquals(TarCodecTest.BINARY, FS.getXattr(rootfs.resolve("cap"), "user.keep"));

    FileStat dev = FS.lstat(rootfs.resolve("dev/null"));
    assertTrue(dev.isRegularFile(), "device faked as a regular file");
    assertEquals(0, dev.size());
    assertTrue(output.contains("creating empty file in place of device"), output);
  }

  @Test
  void rootlessXattrEncodingMatchesProtobuf() throws Exception {
    // uid 1000 -> field 1 varint e8 07; gid 0 -> NoopID 0xffffffff -> ff ff ff ff 0f
    assertArrayEquals(
        new byte[] {
          0x08, (byte) 0xe8, 0x07, 0x10, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f
        },
        RootlessContainersXattr.encodeForOwner(1000, 0));
    assertNull(RootlessContainersXattr.encodeForOwner(0, 0));
    assertEquals(
        new RootlessContainersXattr.Owner(1000, RootlessContainersXattr.NOOP_ID),
        RootlessContainersXattr.decode(RootlessContainersXattr.encodeForOwner(1000, 0)));
  }
}
