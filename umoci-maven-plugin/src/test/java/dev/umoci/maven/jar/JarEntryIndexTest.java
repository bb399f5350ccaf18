package dev.umoci.maven.jar;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarEntryIndexTest {
  @TempDir Path dir;

  /** A zip at dir/{@code name} with {@code entries} (names ending in / are directories). */
  private Path jar(String name, String... entries) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (String entry : entries) {
        zip.putNextEntry(new ZipEntry(entry));
        if (!entry.endsWith("/")) {
          zip.write(entry.getBytes(StandardCharsets.UTF_8));
        }
        zip.closeEntry();
      }
    }
    return file;
  }

  private Path uber() throws IOException {
    return jar(
        "app.jar",
        "META-INF/MANIFEST.MF",
        "app/Main.class",
        "org/lib/",
        "org/lib/A.class",
        "org/lib/B.class",
        "org/lib/lib.properties",
        "META-INF/versions/11/org/lib/A.class",
        "shaded/org/rel/R.class",
        "org/min/Used.class",
        "conf/only.txt");
  }

  @Test
  void aDependencyWhoseClassesAreAllInTheJarIsInsideWhateverItsMetaInfAndDirectories()
      throws IOException {
    JarEntryIndex index = JarEntryIndex.read(uber());
    Path lib =
        jar(
            "lib.jar",
            "META-INF/",
            "META-INF/MANIFEST.MF",
            "META-INF/maven/org.lib/lib/pom.xml",
            "META-INF/LICENSE",
            "org/",
            "org/lib/",
            "org/lib/A.class",
            "org/lib/B.class",
            "org/lib/not-shaded-resource.txt",
            "META-INF/versions/11/org/lib/A.class",
            "META-INF/versions/9/module-info.class",
            "module-info.class");
    assertTrue(index.holds(lib));
  }

  @Test
  void relocatedOrMinimisedDependenciesAreNotInside() throws IOException {
    JarEntryIndex index = JarEntryIndex.read(uber());
    // relocated: shade renamed org/rel/R to shaded/org/rel/R
    assertFalse(index.holds(jar("rel.jar", "org/rel/R.class")));
    // minimised: only Used kept
    assertFalse(index.holds(jar("min.jar", "org/min/Used.class", "org/min/Unused.class")));
    // one versioned class missing is a class missing
    assertFalse(
        index.holds(jar("mr.jar", "org/lib/A.class", "META-INF/versions/17/org/lib/A.class")));
  }

  @Test
  void aDependencyWithoutClassesComparesItsFilesOutsideMetaInf() throws IOException {
    JarEntryIndex index = JarEntryIndex.read(uber());
    assertTrue(index.holds(jar("conf.jar", "META-INF/MANIFEST.MF", "conf/", "conf/only.txt")));
    assertFalse(index.holds(jar("conf2.jar", "conf/only.txt", "conf/other.txt")));
    // nothing to compare: never inside
    assertFalse(index.holds(jar("empty.jar", "META-INF/MANIFEST.MF", "META-INF/NOTICE", "x/")));
    assertFalse(index.holds(jar("modinfo.jar", "module-info.class")));
  }

  @Test
  void filesThatAreNoZipHoldNothingAndAreNotInside() throws IOException {
    Path notZip = Files.writeString(dir.resolve("broken.jar"), "not a zip");
    assertFalse(JarEntryIndex.read(notZip).holds(jar("lib.jar", "org/lib/A.class")));
    assertFalse(JarEntryIndex.read(uber()).holds(notZip));
  }

  @Test
  void holdsOnlyFilesOfTellsAJarOfTheProjectsOwnOutputFromAShadedOne() throws IOException {
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes.resolve("app"));
    Files.writeString(classes.resolve("app/Main.class"), "main");
    Path own =
        jar(
            "own.jar",
            "META-INF/MANIFEST.MF",
            "META-INF/maven/x/pom.xml",
            "app/",
            "app/Main.class");
    assertTrue(JarEntryIndex.read(own).holdsOnlyFilesOf(classes));
    assertFalse(JarEntryIndex.read(uber()).holdsOnlyFilesOf(classes));
    // a directory of that name is not the file
    Files.createDirectories(classes.resolve("org/lib/Lib.class"));
    assertFalse(JarEntryIndex.read(jar("dir.jar", "org/lib/Lib.class")).holdsOnlyFilesOf(classes));
  }
}
