package dev.umoci.oci.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Go's time.RFC3339Nano, as umoci writes {@code created} and history times. */
class Rfc3339Test {
  @Test
  void goFormExamples() {
    assertEquals("1970-01-01T00:00:00Z", Rfc3339.format(Instant.EPOCH));
    assertEquals("2024-05-06T07:08:09.5Z", Rfc3339.format(Instant.parse("2024-05-06T07:08:09.5Z")));
    assertEquals(
        "0001-02-03T04:05:06.000000001Z",
        Rfc3339.format(Instant.parse("0001-02-03T04:05:06.000000001Z")));
    assertEquals(
        "2024-05-06T07:08:09.12345+02:00",
        Rfc3339.format(OffsetDateTime.parse("2024-05-06T07:08:09.123450+02:00")));
    assertEquals("+10000-01-01T00:00:00Z", Rfc3339.format(Instant.parse("+10000-01-01T00:00:00Z")));
  }

  @Test
  void sameAsAPatternFormatterForAnyInstantAndOffset() {
    DateTimeFormatter seconds = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      long second = random.nextLong(-62_135_596_800L, 253_402_300_799L); // years 1-9999
      int nanos = random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000);
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
      OffsetDateTime t = Instant.ofEpochSecond(second, nanos).atOffset(offset);
      String fraction =
          nanos == 0 ? "" : ("." + String.format("%09d", nanos)).replaceAll("0+$", "");
      String zone = offset.getTotalSeconds() == 0 ? "Z" : offset.getId();
      assertEquals(seconds.format(t) + fraction + zone, Rfc3339.format(t), t.toString());
    }
  }
}
