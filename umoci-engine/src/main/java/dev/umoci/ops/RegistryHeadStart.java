package dev.umoci.ops;

import dev.umoci.registry.RegistryOptions;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One registry connection started before the command line is parsed, for the one command of this
 * process ({@code umoci copy}): the CLI guesses from the raw arguments which registry the command
 * will connect to and with which options, and {@link #offer}s that connection, which is then made
 * on its own thread while the JVM is still setting up the command line parser (on a quiet machine
 * 0.1-0.15 s before the command itself starts). The copy's {@link PendingConnection#start} takes it
 * only when registry and options are equal to what the parsed command asks for; otherwise it
 * connects afresh, so a wrong guess costs an unused {@code /v2/} check and never changes what the
 * command does.
 *
 * <p>What a head start does before the command line is validated is exactly a connection: the HTTP
 * client, the TLS set-up the options ask for, and the anonymous {@code GET /v2/} (credentials are
 * looked up and sent only in answer to a challenge of a later request, {@code Transport}). A
 * connection that nothing took is closed by {@link #withdraw} (at the end of the command); its
 * failure is dropped, as the command either never needed it or has made its own.
 *
 * <p>Contract: at most one offer is outstanding; an offer replaces (and withdraws) an earlier one.
 * Thread-safe.
 */
public final class RegistryHeadStart {
  private static final AtomicReference<Offer> OFFER = new AtomicReference<>();

  private RegistryHeadStart() {}

  private record Offer(String registry, RegistryOptions options, PendingConnection connection) {}

  /**
   * Starts connecting to {@code registry} with {@code options} on a new daemon thread, after {@code
   * first} has run on it (for the CLI: waiting for its start-up thread, whose classes the
   * connection must not initialise at the same time).
   */
  public static void offer(String registry, RegistryOptions options, Runnable first) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(options, "options");
    Offer previous =
        OFFER.getAndSet(
            new Offer(
                registry, options, PendingConnection.startOnThread(registry, options, first)));
    if (previous != null) {
      previous.connection().abandon();
    }
  }

  /**
   * The offered connection when it is to {@code registry} with options equal to {@code options}
   * (taken: a second claim gets null), else null.
   */
  static PendingConnection claim(String registry, RegistryOptions options) {
    Offer o = OFFER.get();
    if (o != null
        && o.registry().equals(registry)
        && o.options().equals(options)
        && OFFER.compareAndSet(o, null)) {
      return o.connection();
    }
    return null;
  }

  /**
   * Closes an offered connection that nothing took (as soon as it is made, when it is still being
   * made). Returns whether there was one.
   */
  public static boolean withdraw() {
    Offer o = OFFER.getAndSet(null);
    if (o == null) {
      return false;
    }
    o.connection().abandon();
    return true;
  }
}
