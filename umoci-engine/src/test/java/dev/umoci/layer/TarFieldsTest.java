package dev.umoci.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time header checksum and the PAX time parser, against their definitions. */
class TarFieldsTest {
  private static final int CHKSUM = 148;

  /** The POSIX definition, byte by byte. */
  private static long referenceUnsigned(byte[] header) {
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= CHKSUM && i < CHKSUM + 8) ? ' ' : header[i] & 0xff;
    }
    return sum;
  }

  @Test
  void unsignedChecksumMatchesTheDefinitionOnAnyBytes() {
    Random random = new Random(42);
    byte[] header = new byte[512];
    for (int round = 0; round < 2000; round++) {
      random.nextBytes(header);
      assertEquals(
          referenceUnsigned(header), TarHeaderBlock.unsignedChecksum(header), "round " + round);
    }
    Arrays.fill(header, (byte) 0xff); // the largest sum: every 16-bit lane at its maximum
    assertEquals(referenceUnsigned(header), TarHeaderBlock.unsignedChecksum(header));
    Arrays.fill(header, (byte) 0);
    assertEquals(8 * ' ', TarHeaderBlock.unsignedChecksum(header));
  }

  @Test
  void signedChecksumCountsHighBytesAsNegative() {
    byte[] header = new byte[512];
    header[0] = (byte) 0x80;
    header[511] = (byte) 0xff;
    assertEquals(8 * ' ' - 128 - 1, TarHeaderBlock.signedChecksum(header));
    assertEquals(8 * ' ' + 128 + 255, TarHeaderBlock.unsignedChecksum(header));
  }

  private static Long time(String s) {
    return PaxRecords.parseTime(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void paxTimesWithAndWithoutFractions() {
    assertEquals(1_600_000_000_000_000_000L, time("1600000000"));
    assertEquals(1_600_000_000_123_456_789L, time("1600000000.123456789"));
    assertEquals(1_600_000_000_500_000_000L, time("1600000000.5"));
    assertEquals(1_600_000_000_000_000_000L, time("1600000000."));
    assertEquals(1_600_000_000_123_456_789L, time("1600000000.1234567891234")); // truncated
    assertEquals(-1_500_000_000L, time("-1.5"));
    assertEquals(0L, time("0"));
    assertEquals(9_223_372_036_000_000_000L, time("9223372036"));
  }

  @Test
  void malformedPaxTimesAreRefused() {
    for (String bad :
        new String[] {
          "",
          "-",
          ".5",
          "-.5",
          "+1",
          "1.2.3",
          "1a",
          "1.5x",
          " 1",
          "1 ",
          "１",
          "9223372037", // seconds that overflow as nanoseconds
          "99999999999999999999" // seconds that overflow a long
        }) {
      assertNull(PaxRecords.parseTime(bad.getBytes(StandardCharsets.UTF_8)), bad);
    }
  }
}
