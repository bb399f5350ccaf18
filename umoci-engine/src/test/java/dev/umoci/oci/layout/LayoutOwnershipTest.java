package dev.umoci.oci.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.umoci.testing.CliRunner;
import dev.umoci.testing.Interop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As root on a layout owned by another uid:gid, everything a command creates in the layout (blobs,
 * {@code index.json}, the {@code .umoci-*} temporary directory and its files, a missing {@code
 * blobs/sha256}) gets the layout directory's owner, as umoci 0.6's {@code dirEngine.fchown} does,
 * so that the owner can still change the layout without root.
 */
class LayoutOwnershipTest {
  static final int UID = 4321;
  static final int GID = 8765;

  @TempDir Path tmp;
  Path dir;

  @BeforeEach
  void layoutOwnedBySomeoneElse() throws IOException {
    Path probe = Files.createTempFile(tmp, "probe", "");
    Interop.require(
        Integer.valueOf(0).equals(Files.getAttribute(probe, "unix:uid")),
        "changing owners needs root");
    dir = tmp.resolve("img");
    CliRunner.run("init", "--layout", dir.toString()).assertSuccess();
    chownTree(dir);
  }

  private static void chownTree(Path top) throws IOException {
    try (Stream<Path> all = Files.walk(top)) {
      for (Path p : all.toList()) {
        Files.setAttribute(p, "unix:uid", UID, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", GID, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  private List<String> notOwnedByTheLayoutOwner() throws IOException {
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        Object uid = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object gid = Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        if (!Integer.valueOf(UID).equals(uid) || !Integer.valueOf(GID).equals(gid)) {
          wrong.add(dir.relativize(p) + " " + uid + ":" + gid);
        }
      }
    }
    return wrong;
  }

  @Test
  void everyCommandLeavesTheLayoutWithItsOwner() throws IOException {
    String img = dir.toString();
    Path content = tmp.resolve("content.txt");
    Files.writeString(content, "hello");
    CliRunner.run("new", "--image", img + ":a").assertSuccess();
    CliRunner.run("config", "--image", img + ":a", "--author", "x").assertSuccess();
    CliRunner.run("insert", "--image", img + ":a", content.toString(), "/hello.txt")
        .assertSuccess();
    CliRunner.run("raw", "unpack", "--image", img + ":a", tmp.resolve("rootfs").toString())
        .assertSuccess();
    CliRunner.run("tag", "--image", img + ":a", "b").assertSuccess();
    CliRunner.run("rm", "--image", img + ":a").assertSuccess();
    CliRunner.run("gc", "--layout", img).assertSuccess();
    assertEquals(List.of(), notOwnedByTheLayoutOwner());
  }

  @Test
  void temporaryDirectoryAndRecreatedBlobDirectoryToo() throws IOException {
    // blobs/ must exist for the layout to open; blobs/sha256 is made again by the first write
    Files.delete(dir.resolve("blobs/sha256"));
    try (OciLayout layout = OciLayout.open(dir)) {
      layout.putBytes("text/plain", "x".getBytes(StandardCharsets.UTF_8));
      List<Path> temps = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, OciLayout.TEMP_PREFIX + "*")) {
        s.forEach(temps::add);
      }
      assertFalse(temps.isEmpty());
      assertEquals(List.of(), notOwnedByTheLayoutOwner());
    }
    assertEquals(List.of(), notOwnedByTheLayoutOwner());
  }
}
