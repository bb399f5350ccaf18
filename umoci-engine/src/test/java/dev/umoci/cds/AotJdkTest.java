package dev.umoci.cds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotJdkTest {
  @TempDir Path jvm;

  /** A fake JDK home: an executable bin/java and a release file saying {@code version}. */
  private Path jdk(String name, String version) throws IOException {
    Path home = jvm.resolve(name);
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(
        home.resolve("release"),
        "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\nJAVA_VERSION_DATE=\"2026\"\n");
    return home;
  }

  @Test
  void picksTheNewestJdkOf24OrLater() throws IOException {
    jdk("java-17-openjdk-amd64", "17.0.15");
    jdk("temurin-24-jdk-amd64", "24.0.2");
    Path newest = jdk("temurin-25-jdk-amd64", "25.0.3");
    assertEquals(
        Optional.of(new AotJdk.Found(newest.resolve("bin/java"), 25)), AotJdk.find(Map.of(), jvm));
  }

  @Test
  void noneWhenOnlyOlderJdksOrBrokenOnes() throws IOException {
    jdk("java-17-openjdk-amd64", "17.0.15");
    jdk("java-8", "1.8.0_402");
    Path noJava = jdk("no-java-25", "25");
    Files.delete(noJava.resolve("bin/java"));
    Path noRelease = jdk("no-release-25", "25");
    Files.delete(noRelease.resolve("release"));
    Files.createDirectories(jvm.resolve("empty"));
    assertEquals(Optional.empty(), AotJdk.find(Map.of(), jvm));
    assertEquals(Optional.empty(), AotJdk.find(Map.of(), jvm.resolve("missing")));
  }

  @Test
  void theEnvironmentWinsAsHomeOrAsJava() throws IOException {
    jdk("temurin-26", "26");
    Path chosen = jdk("temurin-24", "24.0.1");
    Path java = chosen.resolve("bin/java");
    Optional<AotJdk.Found> expected = Optional.of(new AotJdk.Found(java, 24));
    assertEquals(expected, AotJdk.find(Map.of("UMOCI_AOT_JAVA", chosen.toString()), jvm));
    assertEquals(expected, AotJdk.find(Map.of("UMOCI_AOT_JAVA", java.toString()), jvm));
  }

  @Test
  void anEnvironmentNamingNoSuitableJdkIsAnError() throws IOException {
    Path old = jdk("java-17", "17.0.15");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AotJdk.find(Map.of("UMOCI_AOT_JAVA", old.toString()), jvm));
    assertTrue(e.getMessage().contains("Java 17"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> AotJdk.find(Map.of("UMOCI_AOT_JAVA", jvm.resolve("nothing").toString()), jvm));
  }

  @Test
  void featureReleaseOfVersionStrings() {
    assertEquals(25, AotJdk.feature("25.0.3"));
    assertEquals(25, AotJdk.feature("25"));
    assertEquals(26, AotJdk.feature("26-ea"));
    assertEquals(8, AotJdk.feature("1.8.0_402"));
    assertEquals(-1, AotJdk.feature("unknown"));
  }
}
