package dev.umoci.cli;

/**
 * A command that starts work of its own before the warm-up's native bindings are ready ({@link
 * JsonWarmUp}): {@link #startEarly} runs when the command line is parsed and Jackson is set up, on
 * the main thread, while the warm-up may still bind the C library and libcrypto. So it must touch
 * no JNA class (directly or through the engine), and it reports nothing: what it cannot start, the
 * command's {@code call()} starts itself and reports.
 */
interface EarlyStart {
  /** Starts the command's independent work (for {@code copy}: the registry connection). */
  void startEarly();
}
