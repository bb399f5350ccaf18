package dev.umoci.registry;

import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.PlatformIndexes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small test images made with our own {@code init}/{@code new}/{@code insert}/{@code config}. */
final class TestImages {
  private TestImages() {}

  /**
   * Makes {@code layout:tag}: two layers (a few files, one of {@code bigBytes} pseudo-random bytes
   * so that uploads can be chunked) for {@code os/arch}.
   */
  static Digest image(Path layout, String tag, String arch, String seed, int bigBytes)
      throws IOException {
    Path src = Files.createTempDirectory("image-src-");
    Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1700000000");
    if (!Files.exists(layout)) {
      CliRunner.run("init", "--layout", layout.toString()).assertSuccess();
    }
    CliRunner.runWithEnv(env, "new", "--image", layout + ":" + tag).assertSuccess();
    Files.createDirectories(src.resolve("etc"));
    Files.writeString(src.resolve("etc/hello"), "hello from " + seed + "\n");
    Files.writeString(src.resolve("etc/arch"), arch + "\n");
    CliRunner.runWithEnv(
            env, "insert", "--image", layout + ":" + tag, src.resolve("etc").toString(), "/etc")
        .assertSuccess();
    Path data = Files.createDirectories(src.resolve("data"));
    byte[] big = new byte[bigBytes];
    new java.util.Random(seed.hashCode()).nextBytes(big);
    Files.write(data.resolve("blob.bin"), big);
    CliRunner.runWithEnv(env, "insert", "--image", layout + ":" + tag, data.toString(), "/data")
        .assertSuccess();
    CliRunner.runWithEnv(
            env,
            "config",
            "--image",
            layout + ":" + tag,
            "--os",
            "linux",
            "--architecture",
            arch,
            "--config.cmd",
            "/bin/true")
        .assertSuccess();
    try (OciLayout l = OciLayout.open(layout)) {
      return References.resolve(l, tag).digest();
    }
  }

  /** Tags an OCI index over the manifests {@code tags} name, with their platforms. */
  static Descriptor index(Path layout, String indexTag, List<String> tags, List<String> archs)
      throws IOException {
    return PlatformIndexes.tag(layout, indexTag, tags, archs);
  }
}
