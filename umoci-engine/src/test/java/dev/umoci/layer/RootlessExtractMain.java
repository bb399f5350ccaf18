package dev.umoci.layer;

import dev.umoci.fs.IdMapping;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test program run as an unprivileged user by {@link RootlessExtractionTest}: applies the given
 * layer tars, in order, to a rootfs in rootless mode. Exit status 0 on success; otherwise the error
 * is printed and the status is 1.
 */
public final class RootlessExtractMain {
  private RootlessExtractMain() {}

  public static void main(String[] args) throws Exception {
    Path rootfs = Path.of(args[0]);
    try {
      ExtractOptions options = ExtractOptions.of(IdMapping.of(List.of(), List.of(), true));
      for (int i = 1; i < args.length; i++) {
        try (InputStream in = Files.newInputStream(Path.of(args[i]))) {
          LayerExtractor.apply(in, rootfs, options);
        }
      }
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }
}
