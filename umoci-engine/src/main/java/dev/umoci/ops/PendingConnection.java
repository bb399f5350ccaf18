package dev.umoci.ops;

import dev.umoci.errors.TaskFailures;
import dev.umoci.registry.MirroredSource;
import dev.umoci.registry.Reference;
import dev.umoci.registry.RegistryClient;
import dev.umoci.registry.RegistryOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A registry connection ({@link RegistryClient#connect}: the HTTP client, the {@code /v2/} check),
 * or the source of a pull through mirrors ({@link MirroredSource#open}), made on another thread
 * while the caller does independent start-up work, such as opening and reading a layout (on a quiet
 * machine 0.1 s off a pull's wall time). The caller either {@link #join}s it (and closes what it
 * got) or {@link #abandon}s it.
 */
final class PendingConnection<T> {
  private final CompletableFuture<T> future;
  private final Consumer<T> closer;

  private PendingConnection(CompletableFuture<T> future, Consumer<T> closer) {
    this.future = future;
    this.closer = closer;
  }

  /** Starts connecting to {@code registry}. */
  static PendingConnection<RegistryClient> start(String registry, RegistryOptions options) {
    return new PendingConnection<>(
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return RegistryClient.connect(registry, options);
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            }),
        RegistryClient::close);
  }

  /** Starts looking for the first mirror (or the registry) that serves {@code ref}. */
  static PendingConnection<MirroredSource> startMirrored(Reference ref, RegistryOptions options) {
    return new PendingConnection<>(
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return MirroredSource.open(ref, options);
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            }),
        MirroredSource::close);
  }

  /** The connected client, or the connection's failure as it was thrown. */
  T join() throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      abandon();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while connecting");
    } catch (ExecutionException e) {
      throw TaskFailures.cause(e, "connecting to the registry");
    }
  }

  /** Not needed after all: the client is closed as soon as it is connected. */
  void abandon() {
    future.thenAccept(closer);
  }
}
