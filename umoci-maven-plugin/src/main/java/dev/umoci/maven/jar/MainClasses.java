package dev.umoci.maven.jar;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Where the {@code build} goal finds the main class when the POM names none, as Jib does: the
 * {@code Main-Class} of the jar's manifest, else the classes of the output directory that declare
 * {@code public static void main(String[])}.
 */
public final class MainClasses {
  private MainClasses() {}

  /** The {@code Main-Class} attribute of {@code jar}'s manifest; empty when it has none. */
  public static Optional<String> manifestMainClass(File jar) throws IOException {
    try (JarFile file = new JarFile(jar, false)) {
      Manifest manifest = file.getManifest();
      if (manifest == null) {
        return Optional.empty();
      }
      String value = manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
  }

  /**
   * Whether {@code jar} holds {@code entry} (a path such as {@code com/example/App.class}); false
   * for a file that is no jar.
   */
  public static boolean jarHasEntry(File jar, String entry) throws IOException {
    if (!jar.isFile()) {
      return false;
    }
    try (JarFile file = new JarFile(jar, false)) {
      return file.getEntry(entry) != null;
    } catch (java.util.zip.ZipException notAJar) {
      return false;
    }
  }

  /**
   * The binary names of the classes under {@code classesDirectory} that declare {@code public
   * static void main(String[])}, sorted; empty when the directory does not exist. {@code
   * module-info} and {@code package-info} are not classes and are skipped.
   */
  public static List<String> withMainMethod(Path classesDirectory) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(classesDirectory)) {
      return out;
    }
    List<Path> classFiles;
    try (Stream<Path> walk = Files.walk(classesDirectory)) {
      classFiles =
          walk.filter(p -> p.getFileName().toString().endsWith(".class"))
              .filter(p -> !p.getFileName().toString().endsWith("-info.class"))
              .filter(Files::isRegularFile)
              .toList();
    }
    for (Path classFile : classFiles) {
      ClassFileMethods parsed =
          ClassFileMethods.read(Files.readAllBytes(classFile), classFile.toString());
      if (parsed.hasMain) {
        out.add(parsed.className);
      }
    }
    out.sort(null);
    return out;
  }
}
