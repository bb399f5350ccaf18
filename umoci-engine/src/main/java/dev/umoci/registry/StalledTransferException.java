package dev.umoci.registry;

import java.io.IOException;
import java.time.Duration;

/**
 * A transfer that made no progress for the idle timeout ({@link RegistryOptions#idleTimeout()}): no
 * byte of a response body arrived, or the registry took no byte of a request body. The exchange is
 * cancelled (its connection dropped) before this is thrown; a retry starts afresh. The message says
 * which way and for how long, without the registry (the caller's line names it).
 */
final class StalledTransferException extends IOException {
  private StalledTransferException(String message) {
    super(message);
  }

  /** No byte of a response body for {@code idle}. */
  static StalledTransferException receiving(Duration idle) {
    return new StalledTransferException("stalled: no data received for " + seconds(idle));
  }

  /** The registry took no byte of a request body for {@code idle}. */
  static StalledTransferException sending(Duration idle) {
    return new StalledTransferException("stalled: the registry took no data for " + seconds(idle));
  }

  /** {@code d} in seconds, as "60 s" or "0.5 s". */
  static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
  }
}
