package dev.umoci.maven;

import dev.umoci.maven.jar.MainClasses;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * The entrypoint {@code build} gives an image without {@code <entrypoint>}: {@code java <jvmFlags>
 * -cp <artifact>:<libs>/* <main class> <args>}, the project's own classes first. The main class is
 * {@code <mainClass>}, else the jar manifest's {@code Main-Class}, else the one class of the output
 * directory with a {@code public static void main(String[])}; none or several fail the build.
 *
 * @param mainClass the configured main class, or null to infer it
 * @param jvmFlags JVM options before {@code -cp}; null = none
 * @param args program arguments after the main class; null = none
 * @param classes the project's output directory, searched for a main method
 */
record DefaultEntrypoint(
    String mainClass, List<String> jvmFlags, List<String> args, Path classes, Log log) {

  /**
   * The entrypoint, or null when there is nothing to run (a {@code pom} project, {@code artifact}
   * null, without {@code mainClass}).
   *
   * @param artifactTarget where the artifact is in the image; null without artifact
   * @param libs the dependency directory in the image, or null without dependencies
   */
  List<String> entrypoint(File artifact, String artifactTarget, String libs)
      throws IOException, MojoFailureException {
    requireClassPathArtifact(artifact, artifactTarget);
    String main = mainClass != null ? configured(artifact) : inferMainClass(artifact);
    if (main == null) {
      return null;
    }
    List<String> classPath = new ArrayList<>();
    if (artifactTarget != null) {
      classPath.add(artifactTarget);
    }
    if (libs != null) {
      classPath.add(libs + "/*");
    }
    List<String> out = new ArrayList<>();
    out.add("java");
    if (jvmFlags != null) {
      out.addAll(jvmFlags);
    }
    out.addAll(List.of("-cp", String.join(":", classPath), main));
    if (args != null) {
      out.addAll(args);
    }
    return out;
  }

  /**
   * {@code <mainClass>}, logged; with a warning when neither the output directory nor the project's
   * jar holds it (a typo would otherwise show only when the container starts; a dependency or the
   * base image may still provide it, so it does not fail the build).
   */
  private String configured(File artifact) throws IOException {
    String entry = mainClass.replace('.', '/') + ".class";
    boolean found =
        Files.isRegularFile(classes.resolve(entry))
            || (artifact != null && MainClasses.jarHasEntry(artifact, entry));
    if (found) {
      log.info("Main class " + mainClass + " (<mainClass>)");
    } else {
      log.warn(
          "<mainClass>"
              + mainClass
              + "</mainClass>: not in "
              + classes
              + (artifact != null ? " or " + artifact.getName() : "")
              + "; unless a dependency or the base image provides it, the image will not start");
    }
    return mainClass;
  }

  /** The main class the project's jar or output directory names; see the class comment. */
  private String inferMainClass(File artifact) throws IOException, MojoFailureException {
    if (artifact == null) {
      return null;
    }
    try {
      Optional<String> fromManifest = MainClasses.manifestMainClass(artifact);
      if (fromManifest.isPresent()) {
        log.info("Main class " + fromManifest.get() + " (Main-Class of " + artifact + ")");
        return fromManifest.get();
      }
    } catch (ZipException notZip) {
      log.debug(artifact + " is not a jar, so it has no Main-Class: " + notZip.getMessage());
    }
    List<String> found = MainClasses.withMainMethod(classes);
    if (found.size() == 1) {
      log.info("Main class " + found.get(0) + " (the one main method in " + classes + ")");
      return found.get(0);
    }
    throw new MojoFailureException(
        "<mainClass/>: not set, "
            + artifact.getName()
            + " has no Main-Class and "
            + (found.isEmpty()
                ? "no class in " + classes + " has public static void main(String[])"
                : "several classes in " + classes + " have a main method " + found)
            + "; set <mainClass> (or <entrypoint>)");
  }

  /**
   * Fails unless {@code artifact} (null: none) can go on a class path: a WAR keeps its classes in
   * {@code WEB-INF/classes} and its libraries in {@code WEB-INF/lib}, an EAR its modules, where
   * {@code java -cp} does not look, so the default entrypoint would build an image whose main class
   * cannot load. Such a project names its own {@code <entrypoint>}.
   */
  private static void requireClassPathArtifact(File artifact, String artifactTarget)
      throws MojoFailureException {
    if (artifact == null || artifact.getName().endsWith(".jar")) {
      return;
    }
    throw new MojoFailureException(
        "<entrypoint/>: not set, and the default one (java -cp "
            + artifactTarget
            + ":... <main class>) cannot load classes from "
            + artifact.getName()
            + ", which is not a jar (a WAR keeps them in WEB-INF/classes); set <entrypoint>, for"
            + " example java -jar "
            + artifactTarget
            + " for an executable WAR, or a servlet container's command on a base that has one");
  }
}
