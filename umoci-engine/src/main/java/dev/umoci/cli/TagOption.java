package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.ReferenceNames;
import picocli.CommandLine.Model.CommandSpec;

/** Option group: {@code --tag new-tag} (if not given, the --image tag is overwritten). */
public final class TagOption {
  private final CommandSpec model = CommandModel.group(this);

  private final Value<String> tag =
      CommandModel.option("--tag")
          .label("<new-tag>")
          .description("new tag name (if empty, overwrite --image tag)")
          .on(model);

  /** Adds {@code --tag} to {@code command}. */
  TagOption(CommandSpec command) {
    CommandModel.addGroup(command, model);
  }

  /** The checked tag, or null when not given. */
  public String tagOrNull() throws InvalidArgumentException {
    return tag.value() == null ? null : ReferenceNames.require(tag.value(), "--tag");
  }
}
