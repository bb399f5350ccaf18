package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.History;
import dev.umoci.oci.spec.Rfc3339;

/**
 * The history flags of layer and config commands: {@code --no-history}, {@code --history.author},
 * {@code --history.comment}, {@code --history.created} (RFC 3339) and {@code --history.created_by}.
 * Null means "not given".
 */
public record HistoryOptions(
    boolean noHistory, String author, String comment, String created, String createdBy) {

  /** No flags given: a default entry is written. */
  public static HistoryOptions defaults() {
    return new HistoryOptions(false, null, null, null, null);
  }

  /** {@code --no-history}: no entry is written. */
  public static HistoryOptions none() {
    return new HistoryOptions(true, null, null, null, null);
  }

  /** These options with {@code --no-history} ({@code true}) or without it. */
  public HistoryOptions withNoHistory(boolean none) {
    return new HistoryOptions(none, author, comment, created, createdBy);
  }

  /** These options with {@code --history.author} (null: not given). */
  public HistoryOptions withAuthor(String value) {
    return new HistoryOptions(noHistory, value, comment, created, createdBy);
  }

  /** These options with {@code --history.comment} (null: not given). */
  public HistoryOptions withComment(String value) {
    return new HistoryOptions(noHistory, author, value, created, createdBy);
  }

  /** These options with {@code --history.created}, RFC 3339 (null: not given). */
  public HistoryOptions withCreated(String value) {
    return new HistoryOptions(noHistory, author, comment, value, createdBy);
  }

  /** These options with {@code --history.created_by} (null: not given). */
  public HistoryOptions withCreatedBy(String value) {
    return new HistoryOptions(noHistory, author, comment, created, value);
  }

  /** Checks the combination and the time format. */
  public void validate() throws InvalidArgumentException {
    if (noHistory) {
      String[][] others = {
        {"history.author", author},
        {"history.comment", comment},
        {"history.created", created},
        {"history.created_by", createdBy}
      };
      for (String[] other : others) {
        if (other[1] != null) {
          throw new InvalidArgumentException(
              "--no-history and --" + other[0] + " may not be specified together");
        }
      }
    }
    if (created != null) {
      Rfc3339.parse(created, "--history.created");
    }
  }

  /**
   * The entry to record, or null with {@code --no-history}. Defaults: {@code created} =
   * SOURCE_DATE_EPOCH or now, {@code created_by} = {@code defaultCreatedBy}, {@code author} =
   * {@code defaultAuthor}.
   */
  public History entry(
      String defaultCreatedBy, String defaultAuthor, Timestamps timestamps, boolean emptyLayer)
      throws InvalidArgumentException {
    validate();
    if (noHistory) {
      return null;
    }
    // An explicit --history.created wins over SOURCE_DATE_EPOCH and keeps its offset (umoci 0.6).
    String when =
        created != null
            ? Rfc3339.normalize(created, "--history.created")
            : Rfc3339.format(timestamps.now());
    return new History(
        when,
        createdBy != null ? createdBy : defaultCreatedBy,
        author != null ? author : defaultAuthor,
        comment,
        emptyLayer);
  }
}
