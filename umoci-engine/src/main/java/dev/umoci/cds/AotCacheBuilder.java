package dev.umoci.cds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Makes the CLI's ahead-of-time caches ({@code umoci.aot}, JEP 483/514) for {@code bin/umoci} on
 * Java 24 or newer. The engine's build runs it from the shaded jar with any JVM:
 *
 * <pre>java -cp umoci.jar dev.umoci.cds.AotCacheBuilder umoci.jar umoci.aot layers
 * java -cp umoci.jar dev.umoci.cds.AotCacheBuilder umoci.jar umoci-small.aot small
 * java -cp umoci.jar dev.umoci.cds.AotCacheBuilder umoci.jar umoci-copy.aot copy</pre>
 *
 * The third argument is the {@link TrainingSet} the training run covers: {@code bin/umoci} starts
 * the small commands from the {@code small} cache, {@code copy} from the {@code copy} one and the
 * others from the {@code layers} one.
 *
 * <p>It looks for a JDK of Java 24 or newer ({@link AotJdk}); without one it says so and exits 0,
 * so the build never depends on one. With one it runs {@link CdsTraining} in that JDK with {@code
 * -XX:AOTCacheOutput} (training run and cache assembly in one step) and the launcher's collector,
 * and publishes the cache by renaming it into place; a failed training run exits 1 with the JVM's
 * output. The Java 17 class-data-sharing archives ({@code umoci.jsa} and the others) are made
 * separately.
 */
public final class AotCacheBuilder {
  private AotCacheBuilder() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    TrainingSet set;
    try {
      set = trainingSet(args);
    } catch (IllegalArgumentException e) {
      System.err.println(
          "usage: AotCacheBuilder JAR OUTPUT.aot small|copy|layers: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path jar = Path.of(args[0]).toAbsolutePath();
    Path out = Path.of(args[1]).toAbsolutePath();
    Optional<AotJdk.Found> jdk;
    try {
      jdk = AotJdk.find(System.getenv(), Path.of("/usr/lib/jvm"));
    } catch (IllegalArgumentException e) {
      System.err.println("umoci AOT cache: " + e.getMessage());
      System.exit(1);
      return;
    }
    if (jdk.isEmpty()) {
      Files.deleteIfExists(out);
      System.out.println(
          "umoci AOT cache: no JDK of Java "
              + AotJdk.MINIMUM_FEATURE
              + " or newer in /usr/lib/jvm and UMOCI_AOT_JAVA is not set; not made"
              + " (bin/umoci on Java 17-23 uses the class-data-sharing archives)");
      return;
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Path log = out.resolveSibling(out.getFileName() + ".log");
    Files.deleteIfExists(tmp);
    Process p =
        new ProcessBuilder(command(jdk.get().java(), jar, tmp, set))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    int exit = p.waitFor();
    if (exit != 0 || !Files.isRegularFile(tmp)) {
      System.err.println(
          "umoci AOT cache: training run ("
              + set.argument()
              + ") with "
              + jdk.get().java()
              + " failed (exit "
              + exit
              + "):");
      System.err.println(Files.readString(log));
      Files.deleteIfExists(tmp);
      System.exit(1);
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println(
        "umoci AOT cache: "
            + out
            + " ("
            + Files.size(out)
            + " bytes, training set "
            + set.argument()
            + ") made with "
            + jdk.get().java()
            + " (Java "
            + jdk.get().feature()
            + ")");
  }

  /**
   * The training set named by the builder's arguments {@code JAR OUTPUT.aot SET}.
   *
   * @throws IllegalArgumentException for a wrong number of arguments or an unknown set
   */
  static TrainingSet trainingSet(String... args) {
    if (args.length != 3) {
      throw new IllegalArgumentException(args.length + " arguments");
    }
    return TrainingSet.fromArguments(Arrays.copyOfRange(args, 2, args.length));
  }

  /**
   * The training run: writes the cache for {@code jar}'s CLI, trained by the commands of {@code
   * set}, into {@code cache}.
   */
  static List<String> command(Path java, Path jar, Path cache, TrainingSet set) {
    return List.of(
        java.toString(),
        "-XX:AOTCacheOutput=" + cache,
        // the collector bin/umoci picks: archived heap objects are usable with it
        "-XX:+UseSerialGC",
        // as bin/umoci on Java 18+: reflection without spun method-handle classes
        "-Djdk.reflect.useNativeAccessorOnly=true",
        "-cp",
        jar.toString(),
        CdsTraining.class.getName(),
        set.argument());
  }
}
