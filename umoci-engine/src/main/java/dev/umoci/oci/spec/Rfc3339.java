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
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  /** Formats {@code instant} in UTC, e.g. {@code 2024-01-02T03:04:05.5Z}. */
  public static String format(Instant instant) {
    StringBuilder out = new StringBuilder(SECONDS.format(instant));
    int nanos = instant.getNano();
    if (nanos != 0) {
      String fraction = String.format("%09d", nanos);
      int end = fraction.length();
      while (fraction.charAt(end - 1) == '0') {
        end--;
      }
      out.append('.').append(fraction, 0, end);
    }
    return out.append('Z').toString();
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
