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
