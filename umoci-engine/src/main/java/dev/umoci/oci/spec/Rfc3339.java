package dev.umoci.oci.spec;

import dev.umoci.errors.InvalidArgumentException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 times as Go writes them with {@code time.RFC3339Nano}: UTC shown as {@code Z}, the
 * fraction printed only when non-zero and without trailing zeros.
 */
public final class Rfc3339 {
  private Rfc3339() {}

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  /** Formats {@code instant} in UTC, e.g. {@code 2024-01-02T03:04:05.5Z}. */
  public static String format(Instant instant) {
    return format(instant.atOffset(ZoneOffset.UTC));
  }

  /** Formats {@code time} in its own offset: {@code Z} for zero, else {@code +hh:mm}. */
  public static String format(OffsetDateTime time) {
    StringBuilder out = new StringBuilder(SECONDS.format(time));
    int nanos = time.getNano();
    if (nanos != 0) {
      String fraction = String.format("%09d", nanos);
      int end = fraction.length();
      while (fraction.charAt(end - 1) == '0') {
        end--;
      }
      out.append('.').append(fraction, 0, end);
    }
    int offset = time.getOffset().getTotalSeconds();
    return out.append(offset == 0 ? "Z" : time.getOffset().getId()).toString();
  }

  /** Parses an RFC 3339 time with any offset; a malformed value names the flag it came from. */
  public static Instant parse(String text, String what) throws InvalidArgumentException {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidArgumentException(
          "invalid "
              + what
              + " "
              + '"'
              + text
              + '"'
              + ": expected an RFC 3339 time such as"
              + " 2006-01-02T15:04:05Z");
    }
  }
}
