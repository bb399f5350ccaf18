package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.ImageRef;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** Option group: {@code --layout path} (no {@code ':'} allowed). */
public final class LayoutOption {
  private final CommandSpec model = CommandModel.group(this);

  private final Value<String> layout =
      CommandModel.option("--layout")
          .required()
          .label("<image-path>")
          .description("path to an OCI image layout")
          .on(model);

  /** Adds {@code --layout} to {@code command}. */
  LayoutOption(CommandSpec command) {
    CommandModel.addGroup(command, model);
  }

  /** The checked path. */
  public Path path() throws InvalidArgumentException {
    return ImageRef.parseLayout(layout.value());
  }
}
