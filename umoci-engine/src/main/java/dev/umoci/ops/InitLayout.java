package dev.umoci.ops;

import dev.umoci.oci.layout.OciLayout;
import java.io.IOException;
import java.nio.file.Path;

/** {@code umoci init}: creates an empty OCI image layout; the path must not exist. */
public final class InitLayout {
  private InitLayout() {}

  public record Options(Path layout) {}

  public static void run(Options options) throws IOException {
    OciLayout.create(options.layout()).close();
  }
}
