package dev.umoci.maven;

import dev.umoci.ops.BuildImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What of the project goes into an application image, and how it starts: the parameters that choose
 * the content ({@code mainClass}, {@code jvmFlags}, {@code args}, {@code appRoot}, {@code
 * extraDirectories}, {@code deletions}, {@code includeDependencies}) and {@link #application},
 * which turns them into layers and an entrypoint. {@code build} adds where the image starts from
 * and where it goes.
 */
public abstract class AbstractApplicationMojo extends AbstractConfigMojo {

  /**
   * Main class of the application, for the default entrypoint. Not set: the {@code Main-Class} of
   * the jar's manifest, else the one class in the output directory ({@code target/classes}) that
   * declares {@code public static void main(String[])}; none or several fail the build.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.mainClass")
  protected String mainClass;

  /**
   * JVM options placed before {@code -cp} in the default entrypoint, one per element: {@code
   * <jvmFlags><jvmFlag>-Xmx256m</jvmFlag><jvmFlag>-Dapp.mode=prod</jvmFlag></jvmFlags>}. Cannot be
   * combined with {@code entrypoint}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.jvmFlags")
  protected List<String> jvmFlags;

  /**
   * Program arguments placed after the main class in the default entrypoint, one per element:
   * {@code <args><arg>--port=8080</arg></args>}. Cannot be combined with {@code entrypoint}; use
   * {@code cmd} for arguments a container runtime may replace.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.args")
  protected List<String> args;

  /**
   * Directory in the image that receives the application: {@code libs/} and the artifact.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.appRoot", defaultValue = "/app")
  protected String appRoot;

  /**
   * Directories whose contents are added to the image in their own layer (before the artifact's):
   * {@code <extraDirectory><from>src/main/image</from><into>/</into></extraDirectory>}.
   *
   * @since 0.1.0
   */
  @Parameter protected List<ExtraDirectory> extraDirectories;

  /**
   * Absolute paths to delete from the base image ({@code <deletion>/etc/motd</deletion>}); written
   * as whiteouts in a layer of their own.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.deletions")
  protected List<String> deletions;

  /**
   * Include the project's runtime dependencies ({@code compile} and {@code runtime} scope) in the
   * image.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.includeDependencies", defaultValue = "true")
  protected boolean includeDependencies;

  /** The project being built. */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  /** The layers to add (least often changed first) and the entrypoint (null: keep the base's). */
  protected record Application(List<BuildImage.Layer> layers, List<String> entrypoint) {}

  /**
   * The project as layers: release dependencies, SNAPSHOT dependencies and the artifact (both
   * normalised by {@link ReproducibleJars} with entries timed {@code time}), extra directories; the
   * entrypoint given, else the default one ({@link DefaultEntrypoint}). Dependencies a shaded
   * artifact already holds are left out (and {@code libs} from the class path when none remain).
   */
  protected final Application application(Instant time) throws IOException, MojoFailureException {
    if (given(entrypoint) != null && (given(jvmFlags) != null || given(args) != null)) {
      throw new MojoFailureException(
          "<entrypoint>: cannot be combined with <jvmFlags> or <args>, which only change the"
              + " default entrypoint");
    }
    List<BuildImage.Layer> layers = new ArrayList<>();
    String root = Inputs.imagePath("appRoot", appRoot);
    ApplicationLayers app = new ApplicationLayers(root);
    ReproducibleJars jars =
        new ReproducibleJars(
            new File(project.getBuild().getDirectory(), "umoci-build").toPath(), time, getLog());
    File artifact = projectArtifact();
    List<Artifact> dependencies =
        dependenciesOutside(artifact, includeDependencies ? runtimeDependencies() : List.of(), app);
    layers.addAll(
        app.dependencyLayers(dependencies, (jar, name) -> jars.copy(jar, "libs/" + name)));
    layers.add(ApplicationLayers.extraDirectoriesLayer(extraDirectories));
    String artifactTarget =
        artifact == null ? null : app.artifactTarget(project.getArtifactId(), artifact);
    if (artifact != null) {
      Path normalized = jars.copy(artifact.toPath(), artifact.getName());
      layers.add(
          new BuildImage.Layer(
              ApplicationLayers.APPLICATION,
              List.of(new BuildImage.Entry(normalized, artifactTarget))));
    }
    List<String> effectiveEntrypoint =
        given(entrypoint) != null
            ? entrypoint
            : new DefaultEntrypoint(
                    mainClass,
                    jvmFlags,
                    args,
                    Path.of(project.getBuild().getOutputDirectory()),
                    getLog())
                .entrypoint(
                    artifact, artifactTarget, dependencies.isEmpty() ? null : app.libsDirectory());
    return new Application(layers, effectiveEntrypoint);
  }

  /** The {@code deletions}, each checked to be an absolute image path. */
  protected final List<String> deletions() throws MojoFailureException {
    List<String> checked = new ArrayList<>();
    if (deletions != null) {
      for (String path : deletions) {
        checked.add(Inputs.imagePath("deletion", path));
      }
    }
    return checked;
  }

  /**
   * The {@code dependencies} that go to {@code libs}: those the (shaded) {@code artifact} does not
   * already hold ({@link ApplicationLayers#splitByArtifact}). How many were left out is one INFO
   * line; which ones, DEBUG lines.
   */
  private List<Artifact> dependenciesOutside(
      File artifact, List<Artifact> dependencies, ApplicationLayers app)
      throws MojoFailureException, IOException {
    ApplicationLayers.Dependencies split =
        ApplicationLayers.splitByArtifact(
            artifact, Path.of(project.getBuild().getOutputDirectory()), dependencies);
    int count = split.inArtifact().size();
    if (count > 0) {
      getLog()
          .info(
              count
                  + (count == 1 ? " dependency is" : " dependencies are")
                  + " inside the shaded artifact "
                  + artifact.getName()
                  + "; not copied to "
                  + app.libsDirectory());
      for (Artifact a : split.inArtifact()) {
        getLog().debug("Not copied to " + app.libsDirectory() + ", inside the artifact: " + a);
      }
    }
    return split.copied();
  }

  /** Runtime class-path dependencies: compile and runtime scope, class-path types, with a file. */
  private List<Artifact> runtimeDependencies() {
    List<Artifact> out = new ArrayList<>();
    for (Artifact a : project.getArtifacts()) {
      String scope = a.getScope();
      boolean runtime =
          Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope);
      if (runtime && a.getArtifactHandler().isAddedToClasspath()) {
        out.add(a);
      }
    }
    return out;
  }

  /** The packaged project artifact, null for {@code pom} packaging. */
  private File projectArtifact() throws MojoFailureException {
    if ("pom".equals(project.getPackaging())) {
      return null;
    }
    File file = project.getArtifact().getFile();
    if (file == null || !file.isFile()) {
      throw new MojoFailureException(
          "the project artifact of "
              + project.getId()
              + " is not packaged yet: run umoci:build in the package phase (its default), after"
              + " the plugin that creates the jar");
    }
    return file;
  }
}
