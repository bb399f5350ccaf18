package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.PlatformSpecifier;
import dev.umoci.ops.ImageRef;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Option group: {@code --platform os/arch[/variant]}, the manifest to use when {@code --image}
 * names an image index (an extension: umoci 0.6 refuses indexes; without the flag the host's
 * platform is chosen).
 */
public final class PlatformOption {
  private final CommandSpec model = CommandModel.group(this);

  private final Value<String> platform =
      CommandModel.option("--platform")
          .label("<os/arch[/variant]>")
          .description(
              "in an image index, use the manifest for this platform (os/arch[/variant]; default:"
                  + " the host's)")
          .on(model);

  /** Adds {@code --platform} to {@code command}. */
  PlatformOption(CommandSpec command) {
    CommandModel.addGroup(command, model);
  }

  /** {@code image} choosing the given platform, or unchanged when none was given. */
  public ImageRef apply(ImageRef image) throws InvalidArgumentException {
    return platform.value() == null
        ? image
        : image.withPlatform(PlatformSpecifier.parse(platform.value(), "--platform"));
  }
}
