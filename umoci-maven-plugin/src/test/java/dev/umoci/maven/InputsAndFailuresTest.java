package dev.umoci.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.errors.ReferenceNotFoundException;
import dev.umoci.registry.CredentialSourceException;
import dev.umoci.registry.RegistryException;
import dev.umoci.registry.RegistryUnreachableException;
import dev.umoci.registry.TlsFailureException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

class InputsAndFailuresTest {
  @Test
  void invalidTagNamesTheElement() {
    MojoFailureException e =
        assertThrows(MojoFailureException.class, () -> Inputs.tag("tag", "bad tag!"));
    assertEquals(
        "<tag>bad tag!</tag>: invalid tag name (components of letters and digits, separated by one"
            + " of . _ - : @ + or --, joined by /)",
        e.getMessage());
    assertEquals(
        "<newTag/>: tag must not be empty",
        assertThrows(MojoFailureException.class, () -> Inputs.tag("newTag", null)).getMessage());
  }

  @Test
  void exposedPortsAreCheckedNamingTheElement() throws MojoFailureException {
    List<String> good = List.of("8080", "8080/tcp", "53/udp", "1", "65535/tcp");
    assertEquals(good, Inputs.exposedPorts("port", good));
    assertNull(Inputs.exposedPorts("port", null));
    for (String bad : List.of("0", "65536", "8080/sctp", "http", "80-90", "8080/", "/tcp", "")) {
      MojoFailureException e =
          assertThrows(
              MojoFailureException.class, () -> Inputs.exposedPorts("port", List.of("53", bad)));
      assertEquals(
          "<port>"
              + bad
              + "</port>: expected a port 1-65535, optionally followed by /tcp or /udp (8080,"
              + " 8080/tcp, 53/udp)",
          e.getMessage());
    }
  }

  @Test
  void mapsBecomeSortedKeyValueLists() throws MojoFailureException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("B", "2");
    env.put("A", null);
    assertEquals(List.of("A=", "B=2"), Inputs.keyValues("env", env));
    assertNull(Inputs.keyValues("env", null));
  }

  @Test
  void badCompressionIsNamedOnceWithTheElementAndNoCliFlag() {
    MojoFailureException e =
        assertThrows(MojoFailureException.class, () -> Inputs.compression("compression", "lz4"));
    assertEquals(
        "<compression>lz4</compression>: expected one of gzip, zstd, none, auto", e.getMessage());
    // Maven appends a cause's message to the failure: there must be none to repeat the value.
    assertNull(e.getCause());
  }

  @Test
  void otherValuesAreChecked() {
    assertThrows(MojoFailureException.class, () -> Inputs.compression("compression", "lz4"));
    assertThrows(MojoFailureException.class, () -> Inputs.imagePath("into", "relative"));
    assertThrows(MojoFailureException.class, () -> Inputs.rfc3339("created", "2024-13-01"));
    assertThrows(
        MojoFailureException.class, () -> Inputs.idMapping(List.of("0:x"), List.of(), false));
  }

  @Test
  void knownFailuresBlameTheElementOthersAreExecutionErrors() {
    Failures failures =
        Failures.blaming("build", "<layout>target/oci</layout>")
            .on(ReferenceNotFoundException.class, "<baseImage>b:x</baseImage>");
    MojoFailureException missing =
        assertThrows(
            MojoFailureException.class,
            () -> failures.rethrow(new ReferenceNotFoundException("tag \"x\" not found")));
    assertEquals("<baseImage>b:x</baseImage>: tag \"x\" not found", missing.getMessage());
    MojoFailureException layout =
        assertThrows(
            MojoFailureException.class,
            () -> failures.rethrow(new InvalidLayoutException("target/oci: not a layout")));
    assertEquals("<layout>target/oci</layout>: target/oci: not a layout", layout.getMessage());
    // Maven would append the class names of causes without a message to the line: there are none,
    // the failure is kept as a suppressed exception (and the goal logs it at debug level).
    RegistryUnreachableException dns =
        new RegistryUnreachableException(
            "registry docker.io: ping /v2/: cannot resolve host name",
            false,
            new java.net.ConnectException());
    MojoFailureException unresolved =
        assertThrows(MojoFailureException.class, () -> failures.rethrow(dns));
    assertEquals(
        "<layout>target/oci</layout>: registry docker.io: ping /v2/: cannot resolve host name",
        unresolved.getMessage());
    assertNull(unresolved.getCause());
    assertSame(dns, unresolved.getSuppressed()[0]);
    // A credential source's failure names what to fix itself (the settings.xml server).
    String undecryptable = "settings.xml <server> \"h:5000\": cannot decrypt its password: x";
    MojoFailureException credentials =
        assertThrows(
            MojoFailureException.class,
            () ->
                failures
                    .on(RegistryException.class, "<baseImage>b:x</baseImage>")
                    .rethrow(new CredentialSourceException(undecryptable)));
    assertEquals(undecryptable, credentials.getMessage());
    IOException disk = new IOException("disk full");
    MojoExecutionException unexpected =
        assertThrows(MojoExecutionException.class, () -> failures.rethrow(disk));
    assertSame(disk, unexpected.getCause());
  }

  @Test
  void aFailedTlsHandshakeSaysHowToAllowAnInsecureRegistry() {
    RegistryUnreachableException tls =
        new TlsFailureException(
            "registry h:5000: ping /v2/: TLS handshake failed: Unrecognized SSL message",
            "h:5000",
            TlsFailureException.Kind.OTHER,
            null);
    assertEquals(
        "registry h:5000: ping /v2/: TLS handshake failed: Unrecognized SSL message (for a"
            + " registry on plain HTTP or with a certificate the JDK does not trust:"
            + " <allowInsecureRegistries>true</allowInsecureRegistries>,"
            + " -Dumoci.allowInsecureRegistries)",
        InsecureRegistryHint.apply(tls, false).getMessage());
    assertSame(tls, InsecureRegistryHint.apply(tls, true), "allowed already: nothing to suggest");
    RegistryUnreachableException refused =
        new RegistryUnreachableException("registry h:1: ping /v2/: connection refused", true, null);
    assertSame(refused, InsecureRegistryHint.apply(refused, false));
    RegistryUnreachableException clientCert =
        new TlsFailureException(
            "registry h:5000: ping /v2/: TLS handshake failed: certificate_required",
            "h:5000",
            TlsFailureException.Kind.CLIENT_CERTIFICATE,
            null);
    assertEquals(
        "registry h:5000: ping /v2/: TLS handshake failed: certificate_required (the registry"
            + " wants a client certificate: put NAME.cert and NAME.key in"
            + " ~/.config/containers/certs.d/h:5000/, as for skopeo)",
        InsecureRegistryHint.apply(clientCert, true).getMessage());
  }
}
