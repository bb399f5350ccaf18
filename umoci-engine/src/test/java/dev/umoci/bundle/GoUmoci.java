package dev.umoci.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.testing.Interop;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Test helper: runs Debian's umoci 0.4.7 and reads what it wrote with plain file reads. */
final class GoUmoci {
  static final Path BINARY = Path.of("/usr/bin/umoci");

  private GoUmoci() {}

  static void assumeInstalled() {
    Interop.require(Files.isExecutable(BINARY), "Debian's umoci is not installed");
  }

  /** Runs umoci with {@code args}; a non-zero exit fails the test with umoci's output. */
  static String run(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    assertEquals(0, rc, () -> String.join(" ", cmd) + " failed:\n" + out);
    return out;
  }

  /** The image config blob of {@code tag} in the layout, found through index.json and manifest. */
  static Image imageConfig(Path layout, String tag) throws IOException {
    Descriptor manifestDesc = manifestDescriptor(layout, tag);
    Manifest manifest =
        Json.parse(blob(layout, manifestDesc), Manifest.class, manifestDesc.digest().toString());
    return Json.parse(
        blob(layout, manifest.config()), Image.class, manifest.config().digest().toString());
  }

  static Descriptor manifestDescriptor(Path layout, String tag) throws IOException {
    Index index =
        Json.parse(Files.readAllBytes(layout.resolve("index.json")), Index.class, "index.json");
    return index.manifests().stream()
        .filter(d -> tag.equals(d.refName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no tag " + tag + " in " + layout));
  }

  private static byte[] blob(Path layout, Descriptor d) throws IOException {
    return Files.readAllBytes(layout.resolve("blobs").resolve(d.digest().blobPath()));
  }

  /** Writes an uncompressed tar of directories (names ending in /) and text files. */
  static void writeTar(Path tar, Map<String, String> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(tar);
        TarArchiveOutputStream tos = new TarArchiveOutputStream(out, "UTF-8")) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setIds(0, 0);
        if (e.getKey().endsWith("/")) {
          entry.setMode(040755);
          tos.putArchiveEntry(entry);
        } else {
          byte[] data = e.getValue().getBytes(StandardCharsets.UTF_8);
          entry.setMode(0100644);
          entry.setSize(data.length);
          tos.putArchiveEntry(entry);
          tos.write(data);
        }
        tos.closeArchiveEntry();
      }
    }
  }
}
