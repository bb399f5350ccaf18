package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.ImageRef;
import picocli.CommandLine.Model.CommandSpec;

/** Option group: {@code --image path[:tag]} (tag defaults to {@code latest}). */
public final class ImageOption {
  private final CommandSpec model = CommandModel.group(this);

  private final Value<String> image =
      CommandModel.option("--image")
          .required()
          .label("<image-path>[:<tag>]")
          .description("OCI image URI of the form 'path[:tag]'")
          .on(model);

  /** Adds {@code --image} to {@code command}. */
  ImageOption(CommandSpec command) {
    CommandModel.addGroup(command, model);
  }

  /** The parsed reference. */
  public ImageRef ref() throws InvalidArgumentException {
    return ImageRef.parse(image.value());
  }
}
