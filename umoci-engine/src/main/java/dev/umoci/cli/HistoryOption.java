package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.HistoryOptions;
import picocli.CommandLine.Model.CommandSpec;

/** Option group: the history flags of config, repack, insert and raw add-layer. */
public final class HistoryOption {
  private final CommandSpec model = CommandModel.group(this);

  private final Value<Boolean> noHistory =
      CommandModel.flag("--no-history").description("do not create a history entry").on(model);

  private final Value<String> author =
      CommandModel.option("--history.author")
          .label("<author>")
          .description("author value for the history entry")
          .on(model);

  private final Value<String> comment =
      CommandModel.option("--history.comment")
          .label("<comment>")
          .description("comment for the history entry")
          .on(model);

  private final Value<String> created =
      CommandModel.option("--history.created")
          .label("<date>")
          .description("created value for the history entry")
          .on(model);

  private final Value<String> createdBy =
      CommandModel.option("--history.created_by")
          .label("<created_by>")
          .description("created_by value for the history entry")
          .on(model);

  /** Adds the history flags to {@code command}. */
  HistoryOption(CommandSpec command) {
    CommandModel.addGroup(command, model);
  }

  /** The checked options. */
  public HistoryOptions options() throws InvalidArgumentException {
    HistoryOptions options =
        HistoryOptions.defaults()
            .withNoHistory(noHistory.value())
            .withAuthor(author.value())
            .withComment(comment.value())
            .withCreated(created.value())
            .withCreatedBy(createdBy.value());
    options.validate();
    return options;
  }
}
