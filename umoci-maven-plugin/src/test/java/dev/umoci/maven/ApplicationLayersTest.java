package dev.umoci.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.umoci.ops.BuildImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
