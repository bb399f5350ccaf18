package dev.umoci.errors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;

/**
 * The one rule for a failure of work done on another thread ({@code Future.get}): the task's own
 * exception reaches the caller as the task threw it, so that a one-line error and its type are the
 * same as when the work ran on the caller's thread.
 */
public final class TaskFailures {
  private TaskFailures() {}

  /**
   * The cause of {@code e} to throw: an {@link IOException} as it is (the cause of an {@link
   * UncheckedIOException} unwrapped); a {@link RuntimeException} or {@link Error} is thrown from
   * here; any other cause is wrapped in an IOException naming {@code what} was being done.
   */
  public static IOException cause(ExecutionException e, String what) {
    return of(e.getCause(), what);
  }

  /**
   * {@link #cause(ExecutionException, String)} for a failure a worker thread handed over itself (a
   * read-ahead thread's stored exception, say).
   */
  public static IOException of(Throwable cause, String what) {
    if (cause instanceof UncheckedIOException unchecked) {
      return unchecked.getCause();
    }
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IOException(what + ": " + cause, cause);
  }
}
