package dev.umoci.ops;

import dev.umoci.oci.layout.OciLayout;
import java.io.IOException;
import java.nio.file.Path;

/** {@code umoci init}: creates an empty OCI image layout; the path must not exist. */
public final class InitLayout {
  private InitLayout() {}

  public record Options(Path layout) {}

  /** True when {@code dir} holds an OCI layout (its {@code oci-layout} file). */
  public static boolean isLayout(Path dir) {
    return java.nio.file.Files.isRegularFile(dir.resolve(OciLayout.LAYOUT_FILE));
  }

  public static void run(Options options) throws IOException {
    OciLayout.create(options.layout()).close();
  }
}
