package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.PlatformSpecifier;
import dev.umoci.ops.ImageRef;
import picocli.CommandLine.Option;

/**
 * Mixin: {@code --platform os/arch[/variant]}, the manifest to use when {@code --image} names an
 * image index (an extension: umoci 0.6 refuses indexes; without the flag the host's platform is
 * chosen).
 */
public final class PlatformOption {
  @Option(
      names = "--platform",
      paramLabel = "<os/arch[/variant]>",
      description =
          "in an image index, use the manifest for this platform (os/arch[/variant]; default:"
              + " the host's)")
  String platform;

  /** {@code image} choosing the given platform, or unchanged when none was given. */
  public ImageRef apply(ImageRef image) throws InvalidArgumentException {
    return platform == null
        ? image
        : image.withPlatform(PlatformSpecifier.parse(platform, "--platform"));
  }
}
