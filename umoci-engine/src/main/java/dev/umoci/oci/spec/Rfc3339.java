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

  /**
   * For years outside 0000-9999 only, which the fast path does not write: building a pattern
   * formatter loads locale data, tens of milliseconds at the start of a short command.
   */
  private static final class WideYears {
    static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
  }

  /** Formats {@code instant} in UTC, e.g. {@code 2024-01-02T03:04:05.5Z}. */
  public static String format(Instant instant) {
    return format(instant.atOffset(ZoneOffset.UTC));
  }

  /** Formats {@code time} in its own offset: {@code Z} for zero, else {@code +hh:mm}. */
  public static String format(OffsetDateTime time) {
    StringBuilder out = new StringBuilder(36);
    int year = time.getYear();
    if (year >= 0 && year <= 9999) {
      pad(out, year, 4).append('-');
      pad(out, time.getMonthValue(), 2).append('-');
      pad(out, time.getDayOfMonth(), 2).append('T');
      pad(out, time.getHour(), 2).append(':');
      pad(out, time.getMinute(), 2).append(':');
      pad(out, time.getSecond(), 2);
    } else {
      out.append(WideYears.SECONDS.format(time));
    }
    int nanos = time.getNano();
    if (nanos != 0) {
      int digits = 9;
      while (nanos % 10 == 0) {
        nanos /= 10;
        digits--;
      }
      pad(out.append('.'), nanos, digits);
    }
    int offset = time.getOffset().getTotalSeconds();
    return out.append(offset == 0 ? "Z" : time.getOffset().getId()).toString();
  }

  /** Appends {@code value} (not negative) with leading zeros to {@code width} digits. */
  private static StringBuilder pad(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
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
