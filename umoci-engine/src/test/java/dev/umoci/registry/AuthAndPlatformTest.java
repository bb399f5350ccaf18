package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.Platform;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WWW-Authenticate parsing, credential parsing and choosing a platform from an index. */
class AuthAndPlatformTest {
  @Test
  void challengesParse() {
    List<AuthChallenge> c =
        AuthChallenge.parse(
            List.of(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                    + "scope=\"repository:library/ubuntu:pull\",error=\"invalid_token\""));
    assertEquals(1, c.size());
    assertEquals("bearer", c.get(0).scheme());
    assertEquals("https://auth.docker.io/token", c.get(0).param("realm"));
    assertEquals("registry.docker.io", c.get(0).param("service"));
    assertEquals("repository:library/ubuntu:pull", c.get(0).param("scope"));

    List<AuthChallenge> two = AuthChallenge.parse(List.of("Basic realm=\"x\", Bearer realm=\"y\""));
    assertEquals(List.of("basic", "bearer"), two.stream().map(AuthChallenge::scheme).toList());
    assertEquals(Map.of("realm", "y"), two.get(1).params());
  }

  @Test
  void credentialsHideTheSecret() throws Exception {
    Credentials c = Credentials.parse("me:pa:ss", "--creds");
    assertEquals("me", c.username());
    assertEquals("pa:ss", c.secret());
    assertFalse(c.toString().contains("pa:ss"));
    assertEquals("credentials of me from --creds", c.toString());
    assertEquals(
        "invalid --creds: expected USER:PASSWORD with a non-empty user name (the password may be empty)",
        assertThrows(InvalidArgumentException.class, () -> Credentials.parse(":x", "--creds"))
            .getMessage());
  }

  private static Descriptor entry(String os, String arch, String variant) {
    return new Descriptor(
        MediaTypes.IMAGE_MANIFEST,
        Digest.sha256((os + arch + variant).getBytes()),
        1,
        null,
        null,
        null,
        new Platform(arch, os, null, null, variant, null),
        null);
  }

  @Test
  void platformChoiceTakesTheOneMatchingEntry() throws Exception {
    List<Descriptor> entries =
        List.of(
            entry("linux", "amd64", null),
            entry("linux", "arm", "v7"),
            entry("linux", "arm64", null));
    assertEquals(entries.get(0), PlatformChoice.parse("linux/amd64").choose(entries, ""));
    assertEquals(entries.get(1), PlatformChoice.parse("linux/arm").choose(entries, ""));
    assertEquals(
        entries.get(2), PlatformChoice.parse("linux/arm64/v8").choose(entries, ""), "v8 implied");
    PlatformNotFoundException e =
        assertThrows(
            PlatformNotFoundException.class,
            () -> PlatformChoice.parse("linux/arm/v6").choose(entries, "x: "));
    assertEquals(
        "x: no image for platform linux/arm/v6 (the index has: linux/amd64, linux/arm/v7, linux/arm64)",
        e.getMessage());
    assertTrue(PlatformChoice.whole().matches(entries.get(0)));
    assertThrows(InvalidArgumentException.class, () -> PlatformChoice.parse("linux"));
  }

  @Test
  void platformChoiceRefusesAnAmbiguousIndex() {
    List<Descriptor> entries =
        List.of(
            entry("linux", "arm64", "v8"),
            entry("linux", "amd64", null),
            entry("linux", "arm64", ""));
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () -> PlatformChoice.parse("linux/arm64").choose(entries, "x: "));
    assertEquals(
        "x: ambiguous: the index has 2 images for platform linux/arm64 ("
            + entries.get(0).digest()
            + ", "
            + entries.get(2).digest()
            + ")",
        e.getMessage());
    assertFalse(e instanceof PlatformNotFoundException);
  }
}
