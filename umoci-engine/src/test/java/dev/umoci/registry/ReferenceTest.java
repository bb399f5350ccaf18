package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.Digest;
import org.junit.jupiter.api.Test;

class ReferenceTest {
  static final String HEX = "a".repeat(64);

  @Test
  void dockerHubDefaults() throws Exception {
    Reference r = Reference.parse("eclipse-temurin:21-jre");
    assertEquals("docker.io", r.registry());
    assertEquals("library/eclipse-temurin", r.repository());
    assertEquals("21-jre", r.tag());
    assertEquals("registry-1.docker.io", r.apiHost());
    assertEquals("docker.io/library/eclipse-temurin:21-jre", r.toString());

    Reference org = Reference.parse("bitnami/redis");
    assertEquals("bitnami/redis", org.repository());
    assertNull(org.tag());
    assertEquals("latest", org.manifestReference());
    assertEquals("latest", org.withDefaultTag().tag());
    assertEquals("library/busybox", Reference.parse("index.docker.io/busybox").repository());
    assertEquals("docker.io", Reference.parse("index.docker.io/busybox").registry());
  }

  @Test
  void hostsPortsTagsAndDigests() throws Exception {
    Reference r = Reference.parse("127.0.0.1:5000/org/app:v1@sha256:" + HEX);
    assertEquals("127.0.0.1:5000", r.registry());
    assertEquals("org/app", r.repository());
    assertEquals("v1", r.tag());
    assertEquals(new Digest("sha256", HEX), r.digest());
    assertEquals("sha256:" + HEX, r.manifestReference(), "the digest decides");
    assertEquals("127.0.0.1:5000", r.apiHost());

    assertEquals("localhost", Reference.parse("localhost/app").registry());
    assertEquals("ghcr.io", Reference.parse("ghcr.io/org/base@sha256:" + HEX).registry());
    assertEquals("registry:5000", Reference.parse("registry:5000/app").registry());
    // A first component without '.', ':' or "localhost" is a Docker Hub namespace.
    assertEquals("docker.io", Reference.parse("myorg/app").registry());
    assertEquals(
        "example.com/a/b/c:tag_1.0-x", Reference.parse("example.com/a/b/c:tag_1.0-x").toString());
  }

  @Test
  void malformedReferencesNameTheBadPart() {
    assertEquals(
        "invalid image reference \"Upper/App\": repository \"Upper/App\" must be lower-case words"
            + " separated by '/' (with '.', '_', '-' inside)",
        assertThrows(InvalidArgumentException.class, () -> Reference.parse("Upper/App"))
            .getMessage());
    assertEquals(
        "invalid image reference \"app:bad tag\": malformed tag \"bad tag\"",
        assertThrows(InvalidArgumentException.class, () -> Reference.parse("app:bad tag"))
            .getMessage());
    assertEquals(
        "invalid image reference \"app@sha256:xyz\": malformed digest after '@'",
        assertThrows(InvalidArgumentException.class, () -> Reference.parse("app@sha256:xyz"))
            .getMessage());
    assertEquals(
        "invalid image reference \"example.com/\": repository name is empty",
        assertThrows(InvalidArgumentException.class, () -> Reference.parse("example.com/"))
            .getMessage());
    assertThrows(InvalidArgumentException.class, () -> Reference.parse(""));
    assertThrows(InvalidArgumentException.class, () -> Reference.parse("a//b"));
  }
}
