package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.ImageRef;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Mixin: {@code --layout path} (no {@code ':'} allowed). */
public final class LayoutOption {
  @Option(
      names = "--layout",
      required = true,
      paramLabel = "<image-path>",
      description = "path to an OCI image layout")
  String layout;

  /** The checked path. */
  public Path path() throws InvalidArgumentException {
    return ImageRef.parseLayout(layout);
  }
}
