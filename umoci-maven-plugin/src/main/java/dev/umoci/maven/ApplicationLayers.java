package dev.umoci.maven;

import dev.umoci.maven.jar.JarEntryIndex;
import dev.umoci.ops.BuildImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoFailureException;

/**
 * Turns a Maven project into the layers of an application image, least often changed first: release
 * dependencies, SNAPSHOT dependencies, extra directories, the project's own artifact. Dependencies
 * go to {@code <appRoot>/libs/<file name>} (prefixed with the groupId when two file names clash;
 * SNAPSHOT jars normalised first), the artifact to {@code <appRoot>/<artifactId>.<extension>}. A
 * dependency that a shaded artifact already holds is left out of {@code libs} ({@link
 * #splitByArtifact}).
 */
final class ApplicationLayers {
  static final String DEPENDENCIES = "umoci-maven-plugin:build dependencies";
  static final String SNAPSHOT_DEPENDENCIES = "umoci-maven-plugin:build snapshot dependencies";
  static final String EXTRA_DIRECTORIES = "umoci-maven-plugin:build extra directories";
  static final String APPLICATION = "umoci-maven-plugin:build application";

  private final String appRoot;

  ApplicationLayers(String appRoot) {
    this.appRoot =
        appRoot.endsWith("/") && appRoot.length() > 1
            ? appRoot.substring(0, appRoot.length() - 1)
            : appRoot;
  }

  /** Where the dependency jars go. */
  String libsDirectory() {
    return appRoot + "/libs";
  }

  /** Where the project artifact {@code file} goes. */
  String artifactTarget(String artifactId, File file) {
    String name = file.getName();
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "jar" : name.substring(dot + 1);
    return appRoot + "/" + artifactId + "." + extension;
  }

  /** What a SNAPSHOT dependency's jar becomes before it goes into the image. */
  @FunctionalInterface
  interface SnapshotCopy {
    /** The file to add for {@code jar}, whose name in {@code libs/} is {@code name}. */
    Path copy(Path jar, String name) throws IOException;
  }

  /**
   * The runtime dependency layers (release, then SNAPSHOT), each sorted by target name. {@code
   * dependencies} must already be filtered to the runtime class path. Release jars are added as the
   * repository served them; a SNAPSHOT jar (rebuilt by every build of its project, entry times
   * included) as {@code snapshots} copies it.
   */
  List<BuildImage.Layer> dependencyLayers(List<Artifact> dependencies, SnapshotCopy snapshots)
      throws MojoFailureException, IOException {
    Set<String> names = new HashSet<>();
    Set<String> clashing = new HashSet<>();
    for (Artifact a : dependencies) {
      if (!names.add(fileOf(a).getName())) {
        clashing.add(fileOf(a).getName());
      }
    }
    List<BuildImage.Entry> releases = new ArrayList<>();
    List<BuildImage.Entry> snapshotEntries = new ArrayList<>();
    for (Artifact a : dependencies) {
      File file = fileOf(a);
      String name =
          clashing.contains(file.getName())
              ? a.getGroupId() + "-" + file.getName()
              : file.getName();
      String target = libsDirectory() + "/" + name;
      if (a.isSnapshot()) {
        snapshotEntries.add(new BuildImage.Entry(snapshots.copy(file.toPath(), name), target));
      } else {
        releases.add(new BuildImage.Entry(file.toPath(), target));
      }
    }
    Comparator<BuildImage.Entry> byTarget = Comparator.comparing(BuildImage.Entry::target);
    releases.sort(byTarget);
    snapshotEntries.sort(byTarget);
    return List.of(
        new BuildImage.Layer(DEPENDENCIES, releases),
        new BuildImage.Layer(SNAPSHOT_DEPENDENCIES, snapshotEntries));
  }

  /**
   * The runtime dependencies split into those that go to {@code libs} and those the project's jar
   * {@code artifact} already holds, as a shaded ("uber") jar does; the rule is {@link
   * JarEntryIndex}'s (every class of the dependency in the jar under its own name, so relocated or
   * minimised dependencies stay in {@code libs}). The artifact's entry names are read once; an
   * artifact that is null or not a {@code .jar} (a WAR, say) holds none, and neither does one that
   * holds only files of {@code ownOutput} (the project's {@code target/classes}, or null): the
   * common case, in which no dependency jar is opened.
   */
  static Dependencies splitByArtifact(File artifact, Path ownOutput, List<Artifact> dependencies)
      throws MojoFailureException, IOException {
    if (artifact == null || !artifact.getName().endsWith(".jar") || dependencies.isEmpty()) {
      return new Dependencies(dependencies, List.of());
    }
    JarEntryIndex index = JarEntryIndex.read(artifact.toPath());
    if (ownOutput != null && index.holdsOnlyFilesOf(ownOutput)) {
      return new Dependencies(dependencies, List.of());
    }
    List<Artifact> copied = new ArrayList<>();
    List<Artifact> inArtifact = new ArrayList<>();
    for (Artifact a : dependencies) {
      (index.holds(fileOf(a).toPath()) ? inArtifact : copied).add(a);
    }
    return new Dependencies(List.copyOf(copied), List.copyOf(inArtifact));
  }

  /**
   * The runtime dependencies, in their given order: {@code copied} go to {@code libs}, {@code
   * inArtifact} are already inside the project's artifact.
   */
  record Dependencies(List<Artifact> copied, List<Artifact> inArtifact) {}

  /** One layer holding the contents of every extra directory (top-level names sorted). */
  static BuildImage.Layer extraDirectoriesLayer(List<ExtraDirectory> directories)
      throws MojoFailureException, IOException {
    List<BuildImage.Entry> entries = new ArrayList<>();
    if (directories != null) {
      for (ExtraDirectory dir : directories) {
        if (dir.from == null || !dir.from.isDirectory()) {
          throw new MojoFailureException(
              Xml.element("extraDirectory", Xml.element("from", dir.from)) + ": not a directory");
        }
        String into = Inputs.imagePath("into", dir.into);
        String prefix = into.endsWith("/") ? into : into + "/";
        List<Path> children;
        try (Stream<Path> list = Files.list(dir.from.toPath())) {
          children = list.sorted(BuildImage.Entry::byFileName).toList();
        }
        for (Path child : children) {
          entries.add(BuildImage.Entry.under(prefix, child));
        }
      }
    }
    return new BuildImage.Layer(EXTRA_DIRECTORIES, entries);
  }

  private static File fileOf(Artifact a) throws MojoFailureException {
    File file = a.getFile();
    if (file == null || !file.isFile()) {
      throw new MojoFailureException(
          "dependency "
              + a.getId()
              + " has no packaged file ("
              + file
              + "); run the build up to the package phase so every module is a jar");
    }
    return file;
  }
}
