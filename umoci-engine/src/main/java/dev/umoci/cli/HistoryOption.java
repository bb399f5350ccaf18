package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.HistoryOptions;
import picocli.CommandLine.Option;

/** Mixin: the history flags of config, repack, insert and raw add-layer. */
public final class HistoryOption {
  @Option(names = "--no-history", description = "do not create a history entry")
  boolean noHistory;

  @Option(
      names = "--history.author",
      paramLabel = "<author>",
      description = "author value for the history entry")
  String author;

  @Option(
      names = "--history.comment",
      paramLabel = "<comment>",
      description = "comment for the history entry")
  String comment;

  @Option(
      names = "--history.created",
      paramLabel = "<date>",
      description = "created value for the history entry")
  String created;

  @Option(
      names = "--history.created_by",
      paramLabel = "<created_by>",
      description = "created_by value for the history entry")
  String createdBy;

  /** The checked options. */
  public HistoryOptions options() throws InvalidArgumentException {
    HistoryOptions options =
        HistoryOptions.defaults()
            .withNoHistory(noHistory)
            .withAuthor(author)
            .withComment(comment)
            .withCreated(created)
            .withCreatedBy(createdBy);
    options.validate();
    return options;
  }
}
