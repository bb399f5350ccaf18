package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Where operations get "now": a clock, overridden by {@code SOURCE_DATE_EPOCH} when set (integer
 * seconds since the epoch, as umoci 0.6 reads it). Tests pass a fixed clock.
 */
public record Timestamps(Clock clock, Optional<Instant> sourceDateEpoch) {
  public Timestamps {
    sourceDateEpoch = sourceDateEpoch == null ? Optional.empty() : sourceDateEpoch;
  }

  /** The system clock and the {@code SOURCE_DATE_EPOCH} environment variable. */
  public static Timestamps fromEnvironment() throws InvalidArgumentException {
    return new Timestamps(
        Clock.systemUTC(), parseSourceDateEpoch(System.getenv("SOURCE_DATE_EPOCH")));
  }

  /** A fixed clock and no SOURCE_DATE_EPOCH. */
  public static Timestamps fixed(Instant now) {
    return new Timestamps(Clock.fixed(now, java.time.ZoneOffset.UTC), Optional.empty());
  }

  /** Parses a SOURCE_DATE_EPOCH value; null or empty means unset, anything not an integer fails. */
  public static Optional<Instant> parseSourceDateEpoch(String value)
      throws InvalidArgumentException {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
    } catch (NumberFormatException | java.time.DateTimeException e) {
      throw new InvalidArgumentException(
          "parse SOURCE_DATE_EPOCH=\"" + value + "\": expected integer seconds since the epoch");
    }
  }

  /** SOURCE_DATE_EPOCH when set, else the clock's now. */
  public Instant now() {
    return sourceDateEpoch.orElseGet(clock::instant);
  }
}
