package dev.umoci.oci.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one platform parser and its matching rules (containerd's strict matcher, as umoci 0.6). */
class PlatformSpecifierTest {
  private static Platform p(String os, String arch, String variant) {
    return new Platform(arch, os, null, null, variant, null);
  }

  private static boolean matches(String wanted, Platform entry) throws InvalidArgumentException {
    return PlatformSpecifier.parse(wanted, "--platform").matches(entry);
  }

  @Test
  void parsesTwoOrThreeComponents() throws InvalidArgumentException {
    PlatformSpecifier two = PlatformSpecifier.parse("linux/amd64", "--platform");
    assertEquals(new PlatformSpecifier("linux", "amd64", null), two);
    assertEquals("linux/amd64", two.toString());
    PlatformSpecifier three = PlatformSpecifier.parse("linux/arm64/v8", "--platform");
    assertEquals("v8", three.variant());
    assertEquals("linux/arm64/v8", three.toString());
  }

  @Test
  void refusesAnythingElseNamingTheOption() {
    for (String bad :
        List.of(
            "linux",
            "linux/",
            "/amd64",
            "a/b/c/d",
            "linux/arm/",
            "",
            "linux//v7",
            "linux/amd 64")) {
      InvalidArgumentException e =
          assertThrows(
              InvalidArgumentException.class,
              () -> PlatformSpecifier.parse(bad, "<platform>"),
              bad);
      assertEquals(
          "invalid <platform> \"" + bad + "\": expected os/arch[/variant], e.g. linux/arm64/v8",
          e.getMessage());
    }
  }

  @Test
  void namesAreNormalised() throws InvalidArgumentException {
    assertEquals("linux/amd64", PlatformSpecifier.parse("Linux/x86_64", "p").toString());
    assertEquals("linux/amd64", PlatformSpecifier.parse("linux/x86-64", "p").toString());
    assertEquals("linux/arm64", PlatformSpecifier.parse("linux/aarch64", "p").toString());
    assertEquals("linux/arm64/v8", PlatformSpecifier.parse("linux/arm64/8", "p").toString());
    assertEquals("linux/arm/v7", PlatformSpecifier.parse("linux/armhf", "p").toString());
    assertEquals("linux/arm/v6", PlatformSpecifier.parse("linux/armel", "p").toString());
    assertEquals("linux/arm/v5", PlatformSpecifier.parse("linux/arm/5", "p").toString());
    assertEquals("linux/386", PlatformSpecifier.parse("linux/i386", "p").toString());
    assertEquals("darwin/arm64", PlatformSpecifier.parse("macos/arm64", "p").toString());
    assertEquals(p("linux", "arm", "v7"), PlatformSpecifier.parse("linux/armhf", "p").toPlatform());
  }

  @Test
  void missingVariantIsTheArchitecturesDefault() throws InvalidArgumentException {
    assertTrue(matches("linux/arm64", p("linux", "arm64", "v8")));
    assertTrue(matches("linux/arm64/v8", p("linux", "arm64", null)));
    assertTrue(matches("linux/arm64/v8", p("linux", "arm64", "")));
    assertTrue(matches("linux/arm", p("linux", "arm", "v7")));
    assertTrue(matches("linux/arm/v7", p("linux", "arm", null)));
    assertTrue(matches("linux/amd64", p("linux", "amd64", "v1")));
    assertTrue(matches("linux/amd64/v1", p("linux", "amd64", null)));
    assertFalse(matches("linux/arm", p("linux", "arm", "v6")), "no variant is v7, not any");
    assertFalse(matches("linux/arm64", p("linux", "arm64", "v9")));
    assertFalse(matches("linux/amd64", p("linux", "amd64", "v3")));
    assertFalse(matches("linux/arm64/v7", p("linux", "arm64", null)));
    assertTrue(matches("linux/s390x", p("linux", "s390x", null)));
    assertFalse(matches("linux/s390x/v2", p("linux", "s390x", null)));
  }

  @Test
  void entriesAreNormalisedToo() throws InvalidArgumentException {
    assertTrue(matches("linux/arm64", p("Linux", "aarch64", null)));
    assertTrue(matches("linux/arm/v7", p("linux", "arm", "7")));
    assertTrue(matches("linux/amd64", p("linux", "x86_64", null)));
  }

  @Test
  void osAndArchitectureMustBeEqual() throws InvalidArgumentException {
    assertFalse(matches("linux/amd64", p("windows", "amd64", null)));
    assertFalse(matches("linux/amd64", p("linux", "arm64", null)));
    assertFalse(matches("linux/amd64", null), "an entry without platform matches nothing");
    assertFalse(matches("linux/amd64", p("", "amd64", null)));
    assertFalse(matches("linux/amd64", p("linux", null, null)));
  }

  @Test
  void matchingKeepsIndexOrderAndFindsEveryMatch() throws InvalidArgumentException {
    List<Platform> entries =
        List.of(
            p("linux", "amd64", null),
            p("linux", "arm64", "v8"),
            p("linux", "arm", "v7"),
            p("linux", "arm64", null));
    PlatformSpecifier arm64 = PlatformSpecifier.parse("linux/arm64", "p");
    assertEquals(List.of(entries.get(1), entries.get(3)), arm64.matching(entries, e -> e));
    assertEquals(
        List.of(), PlatformSpecifier.parse("linux/riscv64", "p").matching(entries, e -> e));
  }

  @Test
  void describeShowsTheEntryAsRecorded() {
    assertEquals("(no platform)", PlatformSpecifier.describe(null));
    assertEquals("linux/aarch64", PlatformSpecifier.describe(p("linux", "aarch64", "")));
    assertEquals("linux/arm/v7", PlatformSpecifier.describe(p("linux", "arm", "v7")));
  }
}
