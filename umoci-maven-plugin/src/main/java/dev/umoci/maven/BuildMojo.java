package dev.umoci.maven;

import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.errors.ReferenceNotFoundException;
import dev.umoci.ops.ArchiveLayout;
import dev.umoci.ops.BaseImageCache;
import dev.umoci.ops.BaseImages;
import dev.umoci.ops.BuildImage;
import dev.umoci.ops.HostPlatform;
import dev.umoci.ops.ImageRef;
import dev.umoci.ops.InitLayout;
import dev.umoci.ops.Timestamps;
import dev.umoci.registry.PlatformChoice;
import dev.umoci.registry.RegistryOptions;
import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Builds an application image in one step: starts from {@code baseImage} (or an empty image), adds
 * the project's runtime dependencies, its SNAPSHOT dependencies, the {@code extraDirectories} and
 * the project's artifact as separate layers (least to most often changed), deletes {@code
 * deletions}, applies the image configuration and tags the result {@code tag} in {@code layout}.
 *
 * <p>Layout in the image: dependencies in {@code <appRoot>/libs/}, the artifact as {@code
 * <appRoot>/<artifactId>.jar}. Without an {@code <entrypoint>}, the entrypoint is {@code java -cp
 * <appRoot>/libs/*:<appRoot>/<artifactId>.jar <mainClass>} when {@code mainClass} is set, else
 * {@code java -jar <appRoot>/<artifactId>.jar}; an entrypoint clears an inherited {@code cmd}
 * unless {@code cmd} is given (as a Dockerfile's ENTRYPOINT does).
 *
 * <p>Reproducible: every file is owned by 0:0, and with {@code project.build.outputTimestamp} set,
 * file times newer than it, {@code created} and history times all take its value, so an unchanged
 * project gives the same manifest digest on every build.
 */
@Mojo(
    name = "build",
    defaultPhase = LifecyclePhase.PACKAGE,
    threadSafe = true,
    requiresDependencyResolution = ResolutionScope.RUNTIME)
public class BuildMojo extends AbstractConfigMojo {

  /**
   * The image to start from: an OCI image layout as {@code path:tag} (its blobs are copied into
   * {@code layout}; for example {@code target/base:21-jre}) or a registry reference (for example
   * {@code eclipse-temurin:21-jre} or {@code docker://ghcr.io/org/base@sha256:...}), pulled for the
   * image's platform into the per-user cache ({@code ~/.cache/umoci-java/bases}). {@code oci:} and
   * {@code docker://} prefixes always decide; without one, the value is a layout when its path is
   * an existing OCI layout, else a registry reference. Offline ({@code mvn -o}) the cache must hold
   * the base. The built image records it in the annotations {@code
   * org.opencontainers.image.base.name} and {@code org.opencontainers.image.base.digest}. Not set:
   * start from an empty image (then the image needs no shell, but also has no {@code java}: set a
   * base with a JRE for the default entrypoint to work).
   */
  @Parameter(property = "umoci.baseImage")
  protected String baseImage;

  /**
   * Allow plain HTTP and unverified TLS for the registry of {@code baseImage}. Credentials come
   * from {@code $REGISTRY_AUTH_FILE} or {@code ~/.docker/config.json} (with its credential
   * helpers).
   */
  @Parameter(property = "umoci.allowInsecureRegistries", defaultValue = "false")
  protected boolean allowInsecureRegistries;

  /** The Maven session (for offline mode). */
  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  /**
   * Main class of the application; when set, the default entrypoint is {@code java -cp
   * <appRoot>/libs/*:<appRoot>/<artifactId>.jar <mainClass>}.
   */
  @Parameter(property = "umoci.mainClass")
  protected String mainClass;

  /** Directory in the image that receives the application: {@code libs/} and the artifact. */
  @Parameter(property = "umoci.appRoot", defaultValue = "/app")
  protected String appRoot;

  /**
   * Directories whose contents are added to the image in their own layer (before the artifact's):
   * {@code <extraDirectory><from>src/main/image</from><into>/</into></extraDirectory>}.
   */
  @Parameter protected List<ExtraDirectory> extraDirectories;

  /**
   * Absolute paths to delete from the base image ({@code <deletion>/etc/motd</deletion>}); written
   * as whiteouts in a layer of their own.
   */
  @Parameter(property = "umoci.deletions")
  protected List<String> deletions;

  /**
   * Include the project's runtime dependencies ({@code compile} and {@code runtime} scope) in the
   * image.
   */
  @Parameter(property = "umoci.includeDependencies", defaultValue = "true")
  protected boolean includeDependencies;

  /**
   * Layer compression: {@code gzip}, {@code zstd}, {@code none}, or {@code auto} (as the base
   * image's newest compressed layer, else gzip).
   */
  @Parameter(property = "umoci.compression", defaultValue = "auto")
  protected String compression;

  /**
   * Also write the layout as an {@code oci-archive} tar ({@code oci-layout}, {@code index.json} and
   * every blob a tag reaches) to {@code target/<finalName>-<classifier>.tar} and attach it to the
   * project, so {@code install} and {@code deploy} publish it. {@code skopeo copy
   * oci-archive:<file>:<tag> ...} reads it.
   */
  @Parameter(property = "umoci.attach", defaultValue = "false")
  protected boolean attach;

  /** Classifier of the attached archive (type {@code tar}). */
  @Parameter(property = "umoci.classifier", defaultValue = "oci")
  protected String classifier;

  /** Attaches the archive to the project. */
  @Component protected MavenProjectHelper projectHelper;

  /** The project being built. */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Override
  protected void run() throws IOException, MojoFailureException {
    ImageRef target = image();
    BaseImages.Resolved resolvedBase = baseImage == null ? null : resolveBase();
    ImageRef base = resolvedBase == null ? null : resolvedBase.image();
    String root = Inputs.imagePath("appRoot", appRoot);
    ApplicationLayers app = new ApplicationLayers(root);
    List<String> checkedDeletions = new ArrayList<>();
    if (deletions != null) {
      for (String path : deletions) {
        checkedDeletions.add(Inputs.imagePath("deletion", path));
      }
    }

    List<BuildImage.Layer> layers = new ArrayList<>();
    List<Artifact> dependencies = includeDependencies ? runtimeDependencies() : List.of();
    layers.addAll(app.dependencyLayers(dependencies));
    layers.add(ApplicationLayers.extraDirectoriesLayer(extraDirectories));
    File artifact = projectArtifact();
    String artifactTarget =
        artifact == null ? null : app.artifactTarget(project.getArtifactId(), artifact);
    if (artifact != null) {
      layers.add(
          new BuildImage.Layer(
              ApplicationLayers.APPLICATION,
              List.of(new BuildImage.Entry(artifact.toPath(), artifactTarget))));
    }

    List<String> effectiveEntrypoint =
        given(entrypoint) != null
            ? entrypoint
            : defaultEntrypoint(app, artifactTarget, !dependencies.isEmpty());
    var config = configChanges(target, effectiveEntrypoint);
    if (effectiveEntrypoint != null && given(cmd) == null) {
      config.clear(List.of("config.cmd"));
    }
    if (resolvedBase != null) {
      List<String> manifestAnnotations = new ArrayList<>();
      if (resolvedBase.name() != null) {
        manifestAnnotations.add(BaseImages.ANNOTATION_BASE_NAME + "=" + resolvedBase.name());
      }
      manifestAnnotations.add(BaseImages.ANNOTATION_BASE_DIGEST + "=" + resolvedBase.digest());
      List<String> given = Inputs.keyValues("annotations", annotations);
      if (given != null) {
        manifestAnnotations.addAll(given);
      }
      config.manifestAnnotations(manifestAnnotations);
    }

    Timestamps timestamps = timestamps();
    Instant clamp =
        OutputTimestamp.parse(outputTimestamp).orElse(timestamps.sourceDateEpoch().orElse(null));
    BuildImage.Result result =
        BuildImage.run(
            new BuildImage.Options(
                base,
                target,
                base == null ? NewMojo.platform(os, architecture, variant) : null,
                checkedDeletions,
                layers,
                config.build(),
                history(),
                Inputs.compression("compression", compression),
                BuildImage.rootOwnedLayers(clamp),
                timestamps));
    getLog()
        .info(
            "Built image "
                + target
                + " ("
                + result.manifest().digest()
                + ") with "
                + result.addedLayers().size()
                + " new layer(s)"
                + (base == null ? "" : " on " + base));
    if (attach) {
      File archive =
          new File(
              project.getBuild().getDirectory(),
              project.getBuild().getFinalName() + "-" + classifier + ".tar");
      ArchiveLayout.run(new ArchiveLayout.Options(layout.toPath(), archive.toPath(), clamp));
      projectHelper.attachArtifact(project, "tar", classifier, archive);
      getLog().info("Attached " + archive + " (classifier " + classifier + ")");
    }
  }

  /** The base image, pulled into the per-user cache when it is in a registry. */
  private BaseImages.Resolved resolveBase() throws IOException {
    BaseImages.Source source = BaseImages.parse(baseImage, Xml.element("baseImage", baseImage));
    HostPlatform p = NewMojo.platform(os, architecture, variant);
    return BaseImages.resolve(
        source,
        PlatformChoice.of(p.os(), p.architecture(), p.variant()),
        session.isOffline(),
        RegistryOptions.builder().tlsVerify(!allowInsecureRegistries).build(),
        BaseImageCache.forUser(System.getenv()),
        null);
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

  private List<String> defaultEntrypoint(
      ApplicationLayers app, String artifactTarget, boolean hasDependencies) {
    if (mainClass != null) {
      List<String> classPath = new ArrayList<>();
      if (hasDependencies) {
        classPath.add(app.libsDirectory() + "/*");
      }
      if (artifactTarget != null) {
        classPath.add(artifactTarget);
      }
      return List.of("java", "-cp", String.join(":", classPath), mainClass);
    }
    if (artifactTarget != null) {
      return List.of("java", "-jar", artifactTarget);
    }
    return null;
  }

  @Override
  protected Failures failures() {
    Failures failures = super.failures();
    if (baseImage != null) {
      String element = Xml.element("baseImage", baseImage);
      failures.on(ReferenceNotFoundException.class, element);
      try {
        if (BaseImages.parse(baseImage, element) instanceof BaseImages.LayoutSource l
            && !InitLayout.isLayout(l.image().layout())) {
          failures.on(InvalidLayoutException.class, element);
        }
      } catch (IOException unparsable) {
        // reported by run() already
      }
    }
    return failures;
  }
}
