package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.ImageRef;
import picocli.CommandLine.Option;

/** Mixin: {@code --image path[:tag]} (tag defaults to {@code latest}). */
public final class ImageOption {
  @Option(
      names = "--image",
      required = true,
      paramLabel = "<image-path>[:<tag>]",
      description = "OCI image URI of the form 'path[:tag]'")
  String image;

  /** The parsed reference. */
  public ImageRef ref() throws InvalidArgumentException {
    return ImageRef.parse(image);
  }
}
