package dev.umoci.maven;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;

/**
 * {@code project.build.outputTimestamp} as maven-jar-plugin reads it: unset, empty or a single
 * character (used to override an inherited value) means "not set"; a number is seconds since the
 * epoch (like {@code SOURCE_DATE_EPOCH}); anything else is an ISO-8601 date-time with an offset
 * ({@code 2024-01-01T00:00:00Z}, {@code 2024-01-01T01:00:00+01:00}).
 */
final class OutputTimestamp {
  static final String ELEMENT = "project.build.outputTimestamp";

  private OutputTimestamp() {}

  /** The parsed instant, empty when not set. */
  static Optional<Instant> parse(String value) throws MojoFailureException {
    if (value == null || value.length() < 2) {
      return Optional.empty();
    }
    try {
      if (value.chars().allMatch(Character::isDigit)) {
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
      }
      return Optional.of(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw new MojoFailureException(
          Xml.element(ELEMENT, value)
              + ": expected ISO-8601 such as 2024-01-01T00:00:00Z or integer seconds since the"
              + " epoch");
    }
  }

  /**
   * The engine's clock: when {@code value} is set it acts as {@code SOURCE_DATE_EPOCH} does for the
   * CLI (the time of everything created, and the clamp of file times in new layers); else {@code
   * SOURCE_DATE_EPOCH} or the current time.
   */
  static Timestamps timestamps(String value) throws MojoFailureException {
    Optional<Instant> fixed = parse(value);
    if (fixed.isPresent()) {
      return new Timestamps(Clock.systemUTC(), fixed);
    }
    try {
      return Timestamps.fromEnvironment();
    } catch (InvalidArgumentException e) {
      throw new MojoFailureException("environment variable " + e.getMessage(), e);
    }
  }
}
