package dev.umoci.cds;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a JDK that can make an ahead-of-time cache (JEP 483, Java 24 or newer) without Maven
 * toolchains: {@code UMOCI_AOT_JAVA} (a JDK home or its {@code bin/java}) when set, else the newest
 * such JDK among the directories of {@code /usr/lib/jvm}. A JDK's version is read from its {@code
 * release} file ({@code JAVA_VERSION="25.0.3"}), so nothing is started to find it.
 */
final class AotJdk {
  /** The first feature release with {@code -XX:AOTCache}. */
  static final int MINIMUM_FEATURE = 24;

  /** A JDK found: its {@code bin/java} and feature release number. */
  record Found(Path java, int feature) {}

  private AotJdk() {}

  /**
   * The JDK to make the cache with, or empty when there is none.
   *
   * @param env the environment ({@code UMOCI_AOT_JAVA})
   * @param jvmDirectory where JDKs are installed ({@code /usr/lib/jvm})
   * @throws IllegalArgumentException when {@code UMOCI_AOT_JAVA} names no JDK of Java 24 or newer
   */
  static Optional<Found> find(Map<String, String> env, Path jvmDirectory) throws IOException {
    String given = env.get("UMOCI_AOT_JAVA");
    if (given != null && !given.isEmpty()) {
      Path path = Path.of(given);
      Path home = path.endsWith(Path.of("bin", "java")) ? path.getParent().getParent() : path;
      Optional<Found> jdk = inspect(home);
      if (jdk.isEmpty() || jdk.get().feature() < MINIMUM_FEATURE) {
        throw new IllegalArgumentException(
            "UMOCI_AOT_JAVA="
                + given
                + ": not a JDK of Java "
                + MINIMUM_FEATURE
                + " or newer (no bin/java, or its release file says "
                + jdk.map(j -> "Java " + j.feature()).orElse("nothing")
                + ")");
      }
      return jdk;
    }
    Found best = null;
    if (Files.isDirectory(jvmDirectory)) {
      try (DirectoryStream<Path> homes = Files.newDirectoryStream(jvmDirectory)) {
        for (Path home : homes) {
          Optional<Found> jdk = inspect(home);
          if (jdk.isPresent()
              && jdk.get().feature() >= MINIMUM_FEATURE
              && (best == null
                  || jdk.get().feature() > best.feature()
                  || (jdk.get().feature() == best.feature()
                      && jdk.get().java().compareTo(best.java()) < 0))) {
            best = jdk.get();
          }
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** The JDK at {@code home}: needs an executable {@code bin/java} and a readable version. */
  private static Optional<Found> inspect(Path home) throws IOException {
    Path java = home.resolve("bin").resolve("java");
    Path release = home.resolve("release");
    if (!Files.isExecutable(java) || !Files.isRegularFile(release)) {
      return Optional.empty();
    }
    for (String line : Files.readAllLines(release)) {
      if (line.startsWith("JAVA_VERSION=")) {
        int feature = feature(line.substring("JAVA_VERSION=".length()).replace("\"", ""));
        return feature < 0 ? Optional.empty() : Optional.of(new Found(java, feature));
      }
    }
    return Optional.empty();
  }

  /** {@code 25.0.3} → 25, {@code 1.8.0_402} → 8, {@code 26-ea} → 26; -1 when unreadable. */
  static int feature(String version) {
    String[] parts = version.split("[.\\-+_]");
    try {
      int first = Integer.parseInt(parts[0]);
      return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
