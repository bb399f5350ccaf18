package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.mutate.CompressionChoice;
import picocli.CommandLine.Model.CommandSpec;

/** Option group: {@code --compress gzip|zstd|none|auto} for commands that write layers. */
public final class CompressOption {
  private final CommandSpec model = CommandModel.group(this);

  private final Value<String> compress =
      CommandModel.option("--compress")
          .label("<algorithm>")
          .defaultValue("auto")
          .description("compression algorithm for newly created layer blobs")
          .on(model);

  /** Adds {@code --compress} to {@code command}. */
  CompressOption(CommandSpec command) {
    CommandModel.addGroup(command, model);
  }

  /** The parsed choice. */
  public CompressionChoice choice() throws InvalidArgumentException {
    try {
      return CompressionChoice.parse(compress.value());
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(
          "invalid --compress: unknown layer compression type \"" + compress.value() + "\"");
    }
  }
}
