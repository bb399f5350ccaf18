package dev.umoci.maven.jar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The entry names of one jar, read once from its central directory (nothing is inflated, no class
 * is loaded), to tell whether a dependency jar is already inside it, as in a shaded ("uber") jar
 * that the maven-shade-plugin made the project's artifact.
 *
 * <p>The rule is conservative: a dependency is inside when every one of its {@code .class} entries
 * is in this jar under the same name; a dependency without classes is inside when every file entry
 * outside {@code META-INF/} is. A dependency whose classes were relocated (renamed) or minimised
 * (only some kept) is therefore not inside: something may still load its original classes. {@code
 * module-info.class} (also under {@code META-INF/versions/<n>/}) is not compared: shading drops it,
 * and the class path never loads it. A dependency with nothing to compare (no such entries), or
 * that is no zip, is never inside.
 */
public final class JarEntryIndex {
  private final Set<String> names;

  private JarEntryIndex(Set<String> names) {
    this.names = names;
  }

  /** The entry names of {@code jar}; none when it is not a zip. */
  public static JarEntryIndex read(Path jar) throws IOException {
    try {
      return new JarEntryIndex(new HashSet<>(entryNames(jar)));
    } catch (ZipException notZip) {
      return new JarEntryIndex(Set.of());
    }
  }

  /**
   * Whether every file of this jar outside {@code META-INF/} is a file of the same name under
   * {@code directory} (the project's own output, {@code target/classes}): then the jar holds no
   * dependency, and no dependency jar need be opened. One {@code stat} per entry, stopping at the
   * first that is not there.
   */
  public boolean holdsOnlyFilesOf(Path directory) {
    for (String name : names) {
      if (name.endsWith("/") || name.startsWith("META-INF/")) {
        continue;
      }
      if (!Files.isRegularFile(directory.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
    }
    return true;
  }

  /** Whether this jar holds {@code dependency} by the rule of the class comment. */
  public boolean holds(Path dependency) throws IOException {
    if (names.isEmpty()) {
      return false;
    }
    List<String> entries;
    try {
      entries = entryNames(dependency);
    } catch (ZipException notZip) {
      return false;
    }
    List<String> classes = new ArrayList<>();
    List<String> otherFiles = new ArrayList<>();
    for (String name : entries) {
      if (name.endsWith("/") || isModuleInfo(name)) {
        continue;
      }
      if (name.endsWith(".class")) {
        classes.add(name);
      } else if (!name.startsWith("META-INF/")) {
        otherFiles.add(name);
      }
    }
    List<String> compared = classes.isEmpty() ? otherFiles : classes;
    return !compared.isEmpty() && names.containsAll(compared);
  }

  private static boolean isModuleInfo(String name) {
    return name.equals("module-info.class")
        || (name.startsWith("META-INF/versions/") && name.endsWith("/module-info.class"));
  }

  /** The names of the central directory of {@code jar}, file and directory entries. */
  private static List<String> entryNames(Path jar) throws IOException {
    List<String> out = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        out.add(entries.nextElement().getName());
      }
    }
    return out;
  }
}
