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
   * What Go's {@code time.Parse(time.RFC3339Nano, ...)} accepts: seconds required, an optional
   * fraction, and {@code Z} or a {@code ±hh:mm} offset (the JDK's ISO parser also takes times
   * without seconds and offsets with seconds).
   */
  private static final java.util.regex.Pattern GO_LAYOUT =
      java.util.regex.Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

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
    return parseWithOffset(text, what).toInstant();
  }

  /**
   * A user-given time as umoci stores it: Go parses it with {@code time.Parse(RFC3339Nano)} and
   * marshals the {@code time.Time} back in the offset it was given ({@code +00:00} becomes {@code
   * Z}), with the fraction kept but its trailing zeros dropped. {@code 2016-12-09T04:45:40+11:00}
   * stays as it is; {@code 2016-03-25T12:34:02.6550020+11:00} becomes {@code
   * 2016-03-25T12:34:02.655002+11:00}.
   */
  public static String normalize(String text, String what) throws InvalidArgumentException {
    return format(parseWithOffset(text, what));
  }

  /** Parses an RFC 3339 time keeping its offset; a malformed value names where it came from. */
  public static OffsetDateTime parseWithOffset(String text, String what)
      throws InvalidArgumentException {
    try {
      if (!GO_LAYOUT.matcher(text).matches()) {
        throw new DateTimeParseException("not Go's RFC 3339 layout", text, 0);
      }
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
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
