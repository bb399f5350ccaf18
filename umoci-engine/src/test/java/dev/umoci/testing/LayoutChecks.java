package dev.umoci.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.umoci.oci.casext.DescriptorWalk;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Whole-layout assertions for tests: run {@link #assertValid(Path)} after every operation. Shared
 * by every package's tests.
 */
public final class LayoutChecks {
  private LayoutChecks() {}

  /**
   * Checks that every blob's sha256 matches its file name, that every descriptor reachable from
   * index.json resolves to a blob of the right size and digest (read through the verified reader).
   * Use {@link #assertNoTempDirs(Path)} as well once every writer is closed.
   */
  public static void assertValid(Path layoutDir) {
    try {
      Path blobs = layoutDir.resolve("blobs/sha256");
      assertTrue(Files.isDirectory(blobs), "missing blobs/sha256 in " + layoutDir);
      try (Stream<Path> files = Files.list(blobs)) {
        for (Path blob : files.toList()) {
          assertEquals(
              blob.getFileName().toString(),
              sha256Hex(blob),
              "blob content does not match its name: " + blob);
        }
      }
      try (OciLayout layout = OciLayout.open(layoutDir)) {
        for (Descriptor d : DescriptorWalk.reachable(layout).values()) {
          Path file = layout.blobPath(d.digest());
          if (d.data() == null) {
            assertTrue(Files.isRegularFile(file), "descriptor " + d.digest() + " has no blob");
            assertEquals(d.size(), Files.size(file), "size of blob " + d.digest());
          }
          try (var in = layout.openBlob(d)) {
            in.readToEnd();
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("layout " + layoutDir + " is not valid", e);
    }
  }

  /** Checks that no {@code .umoci-*} temporary directory was left behind by a closed writer. */
  public static void assertNoTempDirs(Path layoutDir) {
    try (Stream<Path> top = Files.list(layoutDir)) {
      for (Path p : top.toList()) {
        assertTrue(
            !p.getFileName().toString().startsWith(".umoci-"),
            "temporary directory left behind: " + p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link #assertValid(Path)} plus: {@code tag} resolves to exactly {@code expected}. */
  public static void assertTag(Path layoutDir, String tag, Digest expected) {
    assertValid(layoutDir);
    try (OciLayout layout = OciLayout.open(layoutDir)) {
      assertEquals(expected, References.resolve(layout, tag).digest(), "tag " + tag);
    } catch (IOException e) {
      fail("tag " + tag + " does not resolve in " + layoutDir + ": " + e.getMessage());
    }
  }

  /** Every regular file under {@code dir} (relative path -> sha256), to prove nothing changed. */
  public static Map<String, String> snapshot(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        String rel = dir.relativize(p).toString();
        if (Files.isDirectory(p)) {
          out.put(rel + "/", "dir");
        } else {
          out.put(rel, sha256Hex(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The sha256 of a file, in hex. */
  public static String sha256Hex(Path file) throws IOException {
    MessageDigest md = Digest.newSha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
