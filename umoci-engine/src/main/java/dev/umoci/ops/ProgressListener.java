package dev.umoci.ops;

/**
 * Told how a long operation ({@link Unpack}, {@link Repack}, {@link Insert}) advances, so that a
 * front end can show it: the CLI draws a progress bar on a terminal, the Maven plugin logs a line
 * every few seconds. The engine only counts; how (and whether) to show it is the front end's.
 *
 * <p>Calls come from the operation's threads, possibly several at once (unpack reads the next layer
 * while it extracts the current one), so implementations must be thread-safe, and cheap: {@link
 * #advanced} is called for every buffer read or written.
 */
public interface ProgressListener {
  /** Ignores everything. */
  ProgressListener NONE = new ProgressListener() {};

  /**
   * The step {@code step} (such as {@code unpack}) starts; its bytes will count up to {@code
   * totalBytes}, or -1 when the total is not known in advance.
   */
  default void started(String step, long totalBytes) {}

  /** {@code bytes} more bytes and {@code entries} more entries (files, links, ...) are done. */
  default void advanced(long bytes, long entries) {}

  /** The step ended, whether it succeeded or failed. */
  default void finished() {}

  /**
   * A one-line report of what the operation just did or starts, such as {@code unpack layer:
   * sha256:...} (the lines umoci logs at info). The default logs it at info on {@code log}, so the
   * command line keeps umoci's output; a front end with its own summary per command (the Maven
   * plugin: one line per goal) logs it as a detail instead.
   */
  default void report(org.slf4j.Logger log, String format, Object... args) {
    log.info(format, args);
  }
}
