package dev.umoci.maven;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.errors.ReferenceNotFoundException;
import dev.umoci.maven.jar.JarNormalizer;
import dev.umoci.maven.jar.MainClasses;
import dev.umoci.oci.casext.GarbageCollector;
import dev.umoci.ops.ArchiveLayout;
import dev.umoci.ops.BaseImageCache;
import dev.umoci.ops.BaseImages;
import dev.umoci.ops.BuildImage;
import dev.umoci.ops.DockerArchive;
import dev.umoci.ops.GarbageCollect;
import dev.umoci.ops.HostPlatform;
import dev.umoci.ops.ImageRef;
import dev.umoci.ops.InitLayout;
import dev.umoci.registry.PlatformChoice;
import dev.umoci.registry.RegistryOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipException;
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
 * <appRoot>/<artifactId>.jar}. Without an {@code <entrypoint>}, the entrypoint is {@code java
 * <jvmFlags> -cp <appRoot>/<artifactId>.jar:<appRoot>/libs/* <mainClass> <args>}: the project's own
 * classes first, then its dependencies. The main class is {@code mainClass}, else the jar
 * manifest's {@code Main-Class}, else the one class of the output directory with a {@code public
 * static void main(String[])}. An entrypoint clears an inherited {@code cmd} unless {@code cmd} is
 * given (as a Dockerfile's ENTRYPOINT does).
 *
 * <p>Reproducible: every file is owned by 0:0, the jar is rewritten with sorted entries and fixed
 * times, and file times newer than {@code project.build.outputTimestamp} (else {@code
 * SOURCE_DATE_EPOCH}, else 1970-01-01T00:00:00Z), {@code created} and history times all take that
 * value, so unchanged sources give the same manifest digest on every build.
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
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.baseImage")
  protected String baseImage;

  /**
   * Allow plain HTTP and unverified TLS for the registry of {@code baseImage}. Credentials come
   * from {@code $REGISTRY_AUTH_FILE} or {@code ~/.docker/config.json} (with its credential
   * helpers).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.allowInsecureRegistries", defaultValue = "false")
  protected boolean allowInsecureRegistries;

  /** The Maven session (for offline mode). */
  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

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

  /**
   * Layer compression: {@code gzip}, {@code zstd}, {@code none}, or {@code auto} (as the base
   * image's newest compressed layer, else gzip).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.compression", defaultValue = "auto")
  protected String compression;

  /**
   * Also write the image as a tar archive to {@code target/<finalName>-<classifier>.tar}: {@code
   * none}, {@code oci-archive} (the layout's {@code oci-layout}, {@code index.json} and every blob
   * a tag reaches; {@code skopeo copy oci-archive:<file>:<tag> ...} reads it) or {@code
   * docker-archive} (this image with {@code manifest.json} and uncompressed layers, named {@code
   * <imageName>:<tag>}: what {@code docker load}, {@code podman load} and {@code skopeo copy
   * docker-archive:<file> ...} read). The archive's mode follows the umask.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.archive", defaultValue = "none")
  protected String archive;

  /**
   * Attach the archive to the project (type {@code tar}, classifier {@code classifier}), so {@code
   * install} and {@code deploy} publish it. With {@code archive} left at {@code none}, an {@code
   * oci-archive} is written.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.attach", defaultValue = "false")
  protected boolean attach;

  /**
   * Classifier of the archive's file name and of the attached artifact; default {@code oci} for an
   * {@code oci-archive}, {@code docker} for a {@code docker-archive}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.classifier")
  protected String classifier;

  /**
   * Repository name {@code docker load} gives the image of a {@code docker-archive} (with {@code
   * tag} as its tag), such as {@code example.com/team/app}: lower case letters, digits and {@code .
   * _ -}, components joined by {@code /}. Default: the artifactId in lower case.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.imageName")
  protected String imageName;

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
    if (given(entrypoint) != null && (given(jvmFlags) != null || given(args) != null)) {
      throw new MojoFailureException(
          "<entrypoint>: cannot be combined with <jvmFlags> or <args>, which only change the"
              + " default entrypoint");
    }
    Reproducible clock = Reproducible.of(outputTimestamp, timestamps());
    if (!clock.fromProject()) {
      getLog()
          .info(
              "project.build.outputTimestamp is not set: image and file times are "
                  + clock.time()
                  + " (set it for a real date)");
    }

    List<BuildImage.Layer> layers = new ArrayList<>();
    List<Artifact> dependencies = includeDependencies ? runtimeDependencies() : List.of();
    layers.addAll(app.dependencyLayers(dependencies));
    layers.add(ApplicationLayers.extraDirectoriesLayer(extraDirectories));
    File artifact = projectArtifact();
    String artifactTarget =
        artifact == null ? null : app.artifactTarget(project.getArtifactId(), artifact);
    if (artifact != null) {
      Path normalized = reproducibleCopy(artifact, clock.time());
      layers.add(
          new BuildImage.Layer(
              ApplicationLayers.APPLICATION,
              List.of(new BuildImage.Entry(normalized, artifactTarget))));
    }

    List<String> effectiveEntrypoint =
        given(entrypoint) != null
            ? entrypoint
            : defaultEntrypoint(app, artifact, artifactTarget, !dependencies.isEmpty());
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
                BuildImage.rootOwnedLayers(clock.time()),
                clock.timestamps()));
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
    collectGarbage();
    writeArchive(target, clock.time());
  }

  /**
   * Removes the blobs no tag reaches from the layout when the plugin owns it (the default {@code
   * target/oci}, which {@code mvn clean} deletes anyway), so that rebuilds do not pile up old
   * images. A layout the POM points elsewhere is the user's: its blobs are left alone.
   */
  private void collectGarbage() throws IOException {
    File owned = new File(project.getBuild().getDirectory(), "oci");
    if (!layout.getCanonicalFile().equals(owned.getCanonicalFile())) {
      getLog().debug("Not collecting garbage in " + layout + ": not the plugin's own " + owned);
      return;
    }
    GarbageCollector.Result removed =
        GarbageCollect.run(new GarbageCollect.Options(layout.toPath()));
    if (!removed.removedBlobs().isEmpty()) {
      getLog()
          .info(
              "Removed "
                  + removed.removedBlobs().size()
                  + " blob(s) of earlier builds from "
                  + layout);
    }
  }

  /** Writes (and attaches) the archive {@code archive} and {@code attach} ask for. */
  private void writeArchive(ImageRef target, Instant time)
      throws IOException, MojoFailureException {
    String format =
        Inputs.oneOf("archive", archive, List.of("none", "oci-archive", "docker-archive"));
    if (format.equals("none") && attach) {
      format = "oci-archive";
    }
    if (format.equals("none")) {
      return;
    }
    boolean docker = format.equals("docker-archive");
    String suffix = classifier != null ? classifier : docker ? "docker" : "oci";
    File file =
        new File(
            project.getBuild().getDirectory(),
            project.getBuild().getFinalName() + "-" + suffix + ".tar");
    if (docker) {
      String repoTag = dockerName() + ":" + target.tag();
      try {
        DockerArchive.requireRepoTag(repoTag);
      } catch (InvalidArgumentException e) {
        throw new MojoFailureException(
            Xml.element("imageName", imageName)
                + " and "
                + Xml.element("tag", tag)
                + ": "
                + e.getMessage(),
            e);
      }
      DockerArchive.run(new DockerArchive.Options(target, file.toPath(), List.of(repoTag), time));
    } else {
      ArchiveLayout.run(new ArchiveLayout.Options(layout.toPath(), file.toPath(), time));
    }
    if (attach) {
      projectHelper.attachArtifact(project, "tar", suffix, file);
      getLog().info("Wrote " + format + " " + file + ", attached (classifier " + suffix + ")");
    } else {
      getLog().info("Wrote " + format + " " + file);
    }
  }

  /** {@link #imageName}, else the artifactId in lower case. */
  private String dockerName() {
    return imageName != null ? imageName : project.getArtifactId().toLowerCase(Locale.ROOT);
  }

  /**
   * The project's artifact rewritten by {@link JarNormalizer} into {@code target/umoci-build/}, so
   * that its bytes do not depend on the jar plugin's version; a file that is not a zip is used as
   * it is, with a warning.
   */
  private Path reproducibleCopy(File artifact, Instant time) throws IOException {
    Path out =
        new File(project.getBuild().getDirectory(), "umoci-build/" + artifact.getName()).toPath();
    try {
      JarNormalizer.normalize(artifact.toPath(), out, time);
      getLog().debug("Normalised " + artifact + " into " + out + " (sorted entries, fixed times)");
      return out;
    } catch (ZipException notZip) {
      getLog()
          .warn(
              artifact
                  + " is not a zip file, so it is added as built: the image is reproducible only"
                  + " if the plugin that made it is ("
                  + notZip.getMessage()
                  + ")");
      return artifact.toPath();
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

  /**
   * {@code java <jvmFlags> -cp <artifact>:<libs>/* <main class> <args>}, or null when there is
   * nothing to run (a {@code pom} project without {@code mainClass}).
   */
  private List<String> defaultEntrypoint(
      ApplicationLayers app, File artifact, String artifactTarget, boolean hasDependencies)
      throws IOException, MojoFailureException {
    String main = mainClass != null ? mainClass : inferMainClass(artifact);
    if (main == null) {
      return null;
    }
    List<String> classPath = new ArrayList<>();
    if (artifactTarget != null) {
      classPath.add(artifactTarget);
    }
    if (hasDependencies) {
      classPath.add(app.libsDirectory() + "/*");
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

  /** The main class the project's jar or output directory names; see {@link #mainClass}. */
  private String inferMainClass(File artifact) throws IOException, MojoFailureException {
    if (artifact == null) {
      return null;
    }
    try {
      Optional<String> fromManifest = MainClasses.manifestMainClass(artifact);
      if (fromManifest.isPresent()) {
        getLog().info("Main class " + fromManifest.get() + " (Main-Class of " + artifact + ")");
        return fromManifest.get();
      }
    } catch (ZipException notZip) {
      getLog().debug(artifact + " is not a jar, so it has no Main-Class: " + notZip.getMessage());
    }
    Path classes = Path.of(project.getBuild().getOutputDirectory());
    List<String> found = MainClasses.withMainMethod(classes);
    if (found.size() == 1) {
      getLog().info("Main class " + found.get(0) + " (the one main method in " + classes + ")");
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
