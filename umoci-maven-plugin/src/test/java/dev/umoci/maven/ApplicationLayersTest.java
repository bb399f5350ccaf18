package dev.umoci.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.umoci.ops.BuildImage;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationLayersTest {
  @TempDir Path tmp;

  Artifact artifact(String group, String id, String version, String fileName) throws IOException {
    DefaultArtifact a =
        new DefaultArtifact(
            group, id, version, "compile", "jar", null, new DefaultArtifactHandler("jar"));
    Path dir = Files.createDirectories(tmp.resolve(group));
    Path file = Files.writeString(dir.resolve(fileName), group + id);
    a.setFile(file.toFile());
    return a;
  }

  @Test
  void releasesAndSnapshotsGoToSeparateSortedLayersClashingNamesGetTheGroup() throws Exception {
    ApplicationLayers app = new ApplicationLayers("/app/");
    Path copies = tmp.resolve("copies");
    List<BuildImage.Layer> layers =
        app.dependencyLayers(
            List.of(
                artifact("org.z", "zeta", "1.0", "zeta-1.0.jar"),
                artifact("org.a", "util", "2.0", "util-2.0.jar"),
                artifact("com.b", "util", "2.0", "util-2.0.jar"),
                artifact("org.s", "snap", "1.0-SNAPSHOT", "snap-1.0-SNAPSHOT.jar")),
            (jar, name) -> copies.resolve(name));
    // release jars are added as the repository has them, SNAPSHOT jars as their copies
    assertEquals(
        List.of(
            tmp.resolve("com.b/util-2.0.jar"),
            tmp.resolve("org.a/util-2.0.jar"),
            tmp.resolve("org.z/zeta-1.0.jar")),
        layers.get(0).entries().stream().map(BuildImage.Entry::source).toList());
    assertEquals(
        List.of(copies.resolve("snap-1.0-SNAPSHOT.jar")),
        layers.get(1).entries().stream().map(BuildImage.Entry::source).toList());
    assertEquals(
        List.of(
            "/app/libs/com.b-util-2.0.jar",
            "/app/libs/org.a-util-2.0.jar",
            "/app/libs/zeta-1.0.jar"),
        layers.get(0).entries().stream().map(BuildImage.Entry::target).toList());
    assertEquals(
        List.of("/app/libs/snap-1.0-SNAPSHOT.jar"),
        layers.get(1).entries().stream().map(BuildImage.Entry::target).toList());
    assertEquals("/app/hello.jar", app.artifactTarget("hello", new File("hello-1.0.jar")));
  }

  /** A zip at {@code file} holding empty entries {@code names}. */
  static Path zip(Path file, String... names) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (String name : names) {
        zip.putNextEntry(new ZipEntry(name));
        zip.closeEntry();
      }
    }
    return file;
  }

  Artifact jarArtifact(String id, String... names) throws IOException {
    Artifact a = artifact("org.dep", id, "1.0", id + "-1.0.jar");
    zip(a.getFile().toPath(), names);
    return a;
  }

  @Test
  void dependenciesInsideAShadedJarAreNotCopiedOthersKeepTheirOrder() throws Exception {
    Artifact shaded = jarArtifact("shaded", "org/s/S.class", "META-INF/MANIFEST.MF");
    Artifact relocated = jarArtifact("relocated", "org/r/R.class");
    Artifact kept = jarArtifact("kept", "org/k/K.class");
    List<Artifact> dependencies = List.of(relocated, shaded, kept);
    File uber =
        zip(tmp.resolve("app/app-1.0.jar"), "app/Main.class", "org/s/S.class", "x/org/r/R.class")
            .toFile();
    ApplicationLayers.Dependencies split =
        ApplicationLayers.splitByArtifact(uber, null, dependencies);
    assertEquals(List.of(relocated, kept), split.copied());
    assertEquals(List.of(shaded), split.inArtifact());

    // a WAR holding the same names, or no artifact: every dependency is copied
    File war = Files.copy(uber.toPath(), tmp.resolve("app/app-1.0.war")).toFile();
    assertEquals(dependencies, ApplicationLayers.splitByArtifact(war, null, dependencies).copied());
    assertEquals(
        dependencies, ApplicationLayers.splitByArtifact(null, null, dependencies).copied());

    // a dependency without its file fails as dependencyLayers does
    Artifact missing = artifact("org.dep", "gone", "1.0", "gone-1.0.jar");
    missing.setFile(tmp.resolve("nowhere.jar").toFile());
    assertThrows(
        MojoFailureException.class,
        () -> ApplicationLayers.splitByArtifact(uber, null, List.of(missing)));
  }

  @Test
  void anArtifactOfTheProjectsOwnFilesOpensNoDependency() throws Exception {
    Path classes = tmp.resolve("target/classes");
    Files.createDirectories(classes.resolve("app"));
    Files.writeString(classes.resolve("app/Main.class"), "main");
    Files.writeString(classes.resolve("app.properties"), "p");
    File jar =
        zip(
                tmp.resolve("own/app-1.0.jar"),
                "META-INF/MANIFEST.MF",
                "app/",
                "app/Main.class",
                "app.properties")
            .toFile();
    // a dependency whose file is gone would fail the build if it were opened
    Artifact missing = artifact("org.dep", "gone", "1.0", "gone-1.0.jar");
    missing.setFile(tmp.resolve("nowhere.jar").toFile());
    assertEquals(
        List.of(missing),
        ApplicationLayers.splitByArtifact(jar, classes, List.of(missing)).copied());

    // one file of the jar that the project did not compile: the dependencies are looked into
    Artifact shaded = jarArtifact("shaded", "org/s/S.class");
    File uber =
        zip(tmp.resolve("own/uber-1.0.jar"), "app/Main.class", "app.properties", "org/s/S.class")
            .toFile();
    assertEquals(
        List.of(shaded),
        ApplicationLayers.splitByArtifact(uber, classes, List.of(shaded)).inArtifact());
  }

  @Test
  void extraDirectoriesAddTheirTopLevelChildrenUnderInto() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("image"));
    Files.createDirectories(dir.resolve("etc"));
    Files.writeString(dir.resolve("b.txt"), "b");
    BuildImage.Layer layer =
        ApplicationLayers.extraDirectoriesLayer(List.of(new ExtraDirectory(dir.toFile(), "/opt")));
    assertEquals(
        List.of("/opt/b.txt", "/opt/etc"),
        layer.entries().stream().map(BuildImage.Entry::target).toList());
    assertThrows(
        MojoFailureException.class,
        () ->
            ApplicationLayers.extraDirectoriesLayer(
                List.of(new ExtraDirectory(tmp.resolve("missing").toFile(), "/"))));
  }
}
