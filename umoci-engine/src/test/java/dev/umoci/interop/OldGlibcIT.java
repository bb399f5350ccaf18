package dev.umoci.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.sys.TreeRemover;
import dev.umoci.testing.Interop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The jar on glibc 2.31 (issue 12 §1d): Debian 11 "bullseye" has no {@code mknod} symbol (glibc
 * added it in 2.33; older headers inline {@code __xmknod}), which an eager binding turned into a
 * failure of every native call. The packaged jar runs {@code insert}, {@code config}, {@code
 * unpack} and {@code repack} under bullseye's own Java 17 inside a bullseye root (made by {@code
 * scripts/bullseye-root.sh} with debootstrap, cached), on an image holding a character device, so
 * that mknod goes through the fallback. Runs in a private mount and pid namespace ({@code unshare})
 * so that the {@code /proc} the JVM needs is unmounted with it.
 */
class OldGlibcIT {
  private static final Path JAR = Path.of(System.getProperty("umoci.jar")).toAbsolutePath();
  private static final Path ROOT = Path.of("target", "bullseye-root").toAbsolutePath();
  private static final String JAVA = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";

  private Path work;

  record Run(int exit, String output) {}

  @BeforeEach
  void prepareRoot() throws Exception {
    Interop.require(UmociInteropTest.root(), "a chroot needs root");
    Interop.require(Files.isExecutable(Path.of("/usr/sbin/debootstrap")), "debootstrap missing");
    Interop.require(Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare missing");
    if (!Files.isExecutable(ROOT.resolve(JAVA.substring(1)))) {
      Run made = host(List.of(findScript().toString()), 30);
      Interop.require(made.exit() == 0, "bullseye-root.sh failed: " + made.output());
      Path tarball = Path.of(made.output().strip().lines().reduce((a, b) -> b).orElseThrow());
      deleteTree(ROOT);
      Files.createDirectories(ROOT);
      Run untar = host(List.of("tar", "-xf", tarball.toString(), "-C", ROOT.toString()), 10);
      assertEquals(0, untar.exit(), untar.output());
    }
    work = Files.createTempDirectory(Files.createDirectories(ROOT.resolve("tmp")), "it");
    Files.copy(JAR, work.resolve("umoci.jar"), StandardCopyOption.REPLACE_EXISTING);
  }

  @AfterEach
  void removeWork() throws IOException {
    if (work != null) {
      deleteTree(work);
    }
  }

  private static Run host(List<String> command, int minutes) throws Exception {
    Path log = Files.createTempFile("old-glibc", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.delete(log);
    }
  }

  /** Runs {@code command} inside the bullseye root, with its own /proc. */
  private static Run inRoot(String... command) throws Exception {
    List<String> full = new ArrayList<>();
    full.addAll(
        List.of(
            "/usr/bin/unshare",
            "--mount",
            "--pid",
            "--fork",
            "--mount-proc=" + ROOT.resolve("proc"),
            "/usr/sbin/chroot",
            ROOT.toString()));
    full.addAll(List.of(command));
    return host(full, 5);
  }

  /** The jar inside the root, as bullseye's Java runs it. */
  private Run umoci(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of(JAVA, "-jar", inside(work.resolve("umoci.jar"))));
    command.addAll(List.of(args));
    Run r = inRoot(command.toArray(String[]::new));
    assertEquals(0, r.exit(), "umoci " + String.join(" ", args) + ": " + r.output());
    return r;
  }

  /** {@code path} (under the root) as seen from inside it. */
  private static String inside(Path path) {
    return "/" + ROOT.relativize(path);
  }

  @Test
  void unpackRepackConfigAndInsertRunOnGlibc231() throws Exception {
    Run ldd = inRoot("/usr/bin/ldd", "--version");
    assertTrue(ldd.output().contains("GLIBC 2.31"), "not the old glibc: " + ldd.output());

    Path src = Files.createDirectories(work.resolve("src/dev"));
    Files.writeString(work.resolve("src/file"), "hello\n");
    Run mknod = host(List.of("mknod", src.resolve("null2").toString(), "c", "1", "3"), 1);
    assertEquals(0, mknod.exit(), mknod.output());

    String layout = inside(work.resolve("layout"));
    umoci("init", "--layout", layout);
    umoci("new", "--image", layout + ":a");
    umoci("insert", "--image", layout + ":a", inside(work.resolve("src")), "/src");
    umoci("config", "--image", layout + ":a", "--config.env", "GLIBC=2.31", "--tag", "b");
    umoci("unpack", "--image", layout + ":b", inside(work.resolve("bundle")));

    Path rootfs = work.resolve("bundle/rootfs");
    assertEquals(
        "1,3",
        Files.getAttribute(rootfs.resolve("src/dev/null2"), "unix:rdev") instanceof Long rdev
            ? (rdev >> 8) + "," + (rdev & 0xff)
            : "?",
        "the character device was made by mknod");
    assertTrue(
        Files.readString(work.resolve("bundle/config.json")).contains("GLIBC=2.31"),
        "config reached the bundle");

    Files.writeString(rootfs.resolve("src/added"), "new\n");
    Files.delete(rootfs.resolve("src/file"));
    umoci("repack", "--image", layout + ":c", inside(work.resolve("bundle")));
    umoci("unpack", "--image", layout + ":c", inside(work.resolve("bundle2")));
    Path rootfs2 = work.resolve("bundle2/rootfs");
    assertEquals("new\n", Files.readString(rootfs2.resolve("src/added")));
    assertTrue(Files.notExists(rootfs2.resolve("src/file")), "the repacked whiteout applied");
    assertEquals(
        "character",
        Files.readAttributes(
                    rootfs2.resolve("src/dev/null2"),
                    java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .isOther()
            ? "character"
            : "not a device");
  }

  private static void deleteTree(Path dir) throws IOException {
    TreeRemover.direct().remove(dir);
  }

  private static Path findScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("scripts/bullseye-root.sh");
      if (Files.isExecutable(script)) {
        return script;
      }
    }
    throw new AssertionError("scripts/bullseye-root.sh not found");
  }
}
