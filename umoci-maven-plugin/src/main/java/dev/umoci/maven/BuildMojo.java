package dev.umoci.maven;

import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.errors.ReferenceNotFoundException;
import dev.umoci.oci.casext.GarbageCollector;
import dev.umoci.oci.spec.PlatformSpecifier;
import dev.umoci.ops.BaseImages;
import dev.umoci.ops.BuildImage;
import dev.umoci.ops.ConfigUpdate;
import dev.umoci.ops.GarbageCollect;
import dev.umoci.ops.HostPlatform;
import dev.umoci.ops.ImageRef;
import dev.umoci.ops.InitLayout;
import dev.umoci.ops.MultiPlatformBuild;
import dev.umoci.registry.CredentialsNotSentException;
import dev.umoci.registry.RegistryException;
import dev.umoci.registry.RegistryUnreachableException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProjectHelper;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds an application image in one step: starts from {@code baseImage} (or an empty image), adds
 * the project's runtime dependencies, its SNAPSHOT dependencies, the {@code extraDirectories} and
 * the project's artifact as separate layers (least to most often changed), deletes {@code
 * deletions}, applies the image configuration and tags the result {@code tag} in {@code layout}.
 *
 * <p>Layout in the image: dependencies in {@code <appRoot>/libs/} (except those a shaded artifact
 * already holds, every class under its own name), the artifact as {@code
 * <appRoot>/<artifactId>.jar}. Without an {@code <entrypoint>}, the entrypoint is {@code java
 * <jvmFlags> -cp <appRoot>/<artifactId>.jar:<appRoot>/libs/* <mainClass> <args>}: the project's own
 * classes first, then its dependencies. The main class is {@code mainClass}, else the jar
 * manifest's {@code Main-Class}, else the one class of the output directory with a {@code public
 * static void main(String[])}. An entrypoint clears an inherited {@code cmd} unless {@code cmd} is
 * given (as a Dockerfile's ENTRYPOINT does).
 *
 * <p>Reproducible: every file is owned by 0:0, the jar and SNAPSHOT dependency jars are rewritten
 * with sorted entries and fixed times, and every file and directory time in the new layers, {@code
 * created} and history times are {@code project.build.outputTimestamp} (else {@code
 * SOURCE_DATE_EPOCH}, else 1970-01-01T00:00:00Z), whatever the files' times on disk, so unchanged
 * sources give the same manifest digest on every build and every machine.
 *
 * <p>Rebuilds are incremental: a registry base is linked from the per-user cache (not copied, not
 * read again), and a layer whose files are unchanged since the last build (the dependencies, as a
 * rule) is taken as written then, recorded in {@code target/umoci-build/layers}; the image is the
 * same as a clean build's.
 *
 * <p>An aggregator (packaging {@code pom} with modules) is skipped: its modules build the images.
 */
@Mojo(
    name = "build",
    defaultPhase = LifecyclePhase.PACKAGE,
    threadSafe = true,
    requiresDependencyResolution = ResolutionScope.RUNTIME)
public class BuildMojo extends AbstractApplicationMojo {

  /**
   * The image to start from: an OCI image layout as {@code path:tag} (its blobs are hard-linked
   * into {@code layout}, or copied across file systems; for example {@code target/base:21-jre}) or
   * a registry reference (for example {@code eclipse-temurin:21-jre} or {@code
   * docker://ghcr.io/org/base@sha256:...}), pulled for the image's platform into the per-user cache
   * ({@code ~/.cache/umoci-java/bases}), or an archive: {@code oci-archive:PATH[:TAG]}, {@code
   * docker-archive:PATH[:NAME[:TAG]]} (as {@code umoci copy} and skopeo take them) or Jib's {@code
   * tar://PATH} (a {@code docker save} tar of one image), imported into that cache once per archive
   * content (a docker archive's uncompressed layers are gzip-compressed on the way, as Jib does).
   * {@code oci:}, {@code docker://} and the archive prefixes always decide; without one, the value
   * is a layout when its path is an existing OCI layout; a value that reads as a path (it starts
   * with {@code /}, {@code ./}, {@code ../} or {@code ~}, or its first segment exists in the
   * project) but is no layout is an error; else it is a registry reference. Relative paths are
   * taken from the project's directory. Offline ({@code mvn -o}) the cache must hold the base. The
   * built image records it in the annotations {@code org.opencontainers.image.base.name} and {@code
   * org.opencontainers.image.base.digest}. Not set: start from an empty image (then the image needs
   * no shell, but also has no {@code java}: set a base with a JRE for the default entrypoint to
   * work).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.baseImage")
  protected String baseImage;

  /**
   * Allow plain HTTP and unverified TLS for the registry of {@code baseImage}. Credentials come
   * from the {@code settings.xml} {@code <server>} whose {@code <id>} is the registry host
   * (passwords decrypted as Maven does), else the files skopeo reads ({@code $REGISTRY_AUTH_FILE},
   * podman's {@code auth.json}, {@code ~/.docker/config.json} with its credential helpers).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.allowInsecureRegistries", defaultValue = "false")
  protected boolean allowInsecureRegistries;

  /**
   * User name and password for the registry of a registry {@code baseImage}, as Jib's {@code
   * <from><auth>}: {@code <baseImageAuth><username>${env.CI_REGISTRY_USER}</username>
   * <password>${env.CI_REGISTRY_PASSWORD}</password></baseImageAuth>}, or on the command line
   * {@code -Dumoci.baseImage.username=... -Dumoci.baseImage.password=...} (which win over the pom).
   * Both or neither; not sent to {@code registryMirrors}. The plugin never logs the password, but
   * {@code mvn -X} prints the pom's configuration with it: the {@code -D} form keeps it out. Not
   * set: the {@code settings.xml} server named as the registry host, else the registry auth files.
   *
   * @since 0.1.0
   */
  @Parameter protected RegistryAuth baseImageAuth;

  /**
   * Pull-through mirrors for a registry {@code baseImage}, as Jib's: {@code
   * <mirror><registry>docker.io</registry><mirrors><mirror>mirror.corp/docker-remote</mirror></mirrors></mirror>}.
   * The base is pulled from the first mirror that has it (here {@code docker.io/library/x} from
   * repository {@code docker-remote/library/x} of {@code mirror.corp}), else from its registry; a
   * mirror's credentials come from the {@code settings.xml} {@code <server>} named as the mirror's
   * host, else the files skopeo reads. The base keeps its own name in the cache and in the image's
   * {@code org.opencontainers.image.base.name}.
   *
   * @since 0.1.0
   */
  @Parameter protected List<RegistryMirror> registryMirrors;

  /**
   * Send credentials to a registry on plain HTTP (allowed by {@code allowInsecureRegistries}),
   * where anyone on the way can read them. Off by default, as in Jib: a registry on plain HTTP that
   * asks for credentials fails the build, and nothing is sent.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.sendCredentialsOverHttp", defaultValue = "false")
  protected boolean sendCredentialsOverHttp;

  /**
   * Build one image per platform, each on the base image's image for that platform, and tag an OCI
   * image index over them: {@code <platforms><platform>linux/amd64</platform>
   * <platform>linux/arm64</platform></platforms>} ({@code os/arch[/variant]}). The application
   * layers are written once and shared by every image; {@code push} pushes the index with its
   * images. A base without one of the platforms fails the build. Cannot be combined with {@code
   * os}, {@code architecture} or {@code variant}, nor with a {@code docker-archive}. Not set: one
   * image, for the base's platform (the host's when the base is an index).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.platforms")
  protected List<String> platforms;

  /** Maven settings: the {@code <server>} of a registry base's host gives its credentials. */
  @Parameter(defaultValue = "${settings}", readonly = true, required = true)
  protected Settings settings;

  /** Decrypts {@code <server>} passwords. */
  @Component protected SettingsDecrypter decrypter;

  /** The Maven session (for offline mode). */
  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

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

  @Override
  protected void run() throws IOException, MojoFailureException {
    if (Aggregators.isAggregator(project)) {
      getLog().info(Aggregators.skipping(goal(), project));
      return;
    }
    ImageRef target = image();
    List<PlatformSpecifier> wanted = Inputs.platforms("platform", platforms);
    ImageArchives archives =
        new ImageArchives(
            archive, attach, classifier, imageName, tag, project, projectHelper, getLog());
    if (wanted != null && (os != null || architecture != null || variant != null)) {
      throw new MojoFailureException(
          "<platforms>: cannot be combined with <os>, <architecture> or <variant>: each image"
              + " takes its platform from the list");
    }
    if (wanted != null && archives.format().equals("docker-archive")) {
      throw new MojoFailureException(
          "<archive>docker-archive</archive>: holds one image, so it cannot be combined with"
              + " <platforms> (use oci-archive)");
    }
    if (baseImage == null && (entrypoint == null || entrypoint.isEmpty())) {
      getLog()
          .warn(
              "No <baseImage>: the image starts empty, without the java its default entrypoint"
                  + " runs; set <baseImage> to an image with a JRE (such as"
                  + " eclipse-temurin:21-jre) or give an <entrypoint>");
    }
    BaseImageSource base =
        baseImage == null
            ? null
            : BaseImageSource.of(
                baseImage,
                project.getBasedir().toPath(),
                allowInsecureRegistries,
                sendCredentialsOverHttp,
                session.isOffline(),
                registryMirrors,
                settings,
                decrypter,
                GoalCredentials.given(session, baseImageAuth, "umoci.baseImage"));
    if (base != null && base.fromArchive()) {
      getLog()
          .info(
              "Base image "
                  + baseImage
                  + ": an archive, from the base-image cache (imported first when its content is"
                  + " new)");
    }
    if (base != null && base.fromRegistry()) {
      getLog()
          .info(
              "Base image "
                  + baseImage
                  + (session.isOffline()
                      ? ": from the cache (offline)"
                      : ": resolving it at its registry, pulling what the cache lacks"));
    }
    HostPlatform platform = NewMojo.platform(os, architecture, variant);
    BaseImageSource.Pending pending =
        base == null || wanted != null
            ? null
            : base.resolveInBackground(
                platform, os != null || architecture != null || variant != null);
    try {
      build(target, wanted, archives, base, pending, platform);
    } catch (IOException | MojoFailureException | RuntimeException e) {
      if (pending != null) {
        pending.awaitQuietly();
      }
      if (e instanceof RegistryUnreachableException unreachable) {
        throw InsecureRegistryHint.apply(unreachable, allowInsecureRegistries);
      }
      if (e instanceof CredentialsNotSentException notSent) {
        throw InsecureRegistryHint.apply(notSent);
      }
      throw e;
    }
  }

  /** {@link #run()} once the base (for one platform: {@code pending}) is being resolved. */
  private void build(
      ImageRef target,
      List<PlatformSpecifier> wanted,
      ImageArchives archives,
      BaseImageSource base,
      BaseImageSource.Pending pending,
      HostPlatform platform)
      throws IOException, MojoFailureException {
    Reproducible clock = Reproducible.of(outputTimestamp, timestamps());
    if (!clock.fromProject()) {
      getLog()
          .info(
              "project.build.outputTimestamp is not set: image and file times are "
                  + clock.time()
                  + " (set it for a real date)");
    }
    Set<String> blobsBefore = blobFiles();
    Application app = application(clock.time());
    var config = configChanges(target, app.entrypoint());
    if (author == null) {
      // The base's author made the base, not this application: without <author> the image and its
      // new history entries name none (as with Jib), rather than the base's.
      config.author("");
    }
    if (app.entrypoint() != null && given(cmd) == null) {
      config.clear(List.of("config.cmd"));
    }
    BuildImage.Options common =
        BuildImage.Options.builder(target, clock.timestamps())
            .platform(platform)
            .deletions(deletions())
            .layers(app.layers())
            .history(history())
            .compression(Inputs.compression("compression", compression))
            .generate(BuildImage.rootOwnedLayers(clock.time()))
            .layerCache(new File(project.getBuild().getDirectory(), "umoci-build/layers").toPath())
            .build();
    if (wanted == null) {
      buildOne(common, pending, config);
    } else {
      buildIndex(common, wanted, base, config);
    }
    collectGarbage(blobsBefore);
    archives.write(layout, target, clock.time());
  }

  /**
   * One image, on the base's image for the configured (else the host's) platform ({@code base}:
   * being resolved; null: no base).
   */
  private void buildOne(
      BuildImage.Options common, BaseImageSource.Pending base, ConfigUpdate.Builder config)
      throws IOException, MojoFailureException {
    List<String> given = Inputs.keyValues("annotations", annotations);
    BaseImages.Resolved[] resolved = new BaseImages.Resolved[1];
    BuildImage.PendingOptions options =
        () -> {
          resolved[0] = base == null ? null : base.get();
          if (resolved[0] != null) {
            config.manifestAnnotations(BaseImageSource.annotations(resolved[0], given));
          }
          return withBase(common, resolved[0], config.build());
        };
    // With a base, the application's layers are written while it is pulled (or looked up), in the
    // plugin's own layout only: its garbage collection removes the blobs a build could not use.
    BuildImage.Result result =
        base != null && ownsLayout()
            ? BuildImage.runPrepared(common, options)
            : BuildImage.run(options.get());
    getLog()
        .info(
            "Built image "
                + common.target()
                + " ("
                + result.manifest().digest()
                + "): "
                + result.addedLayers().size()
                + " layer(s) over "
                + (resolved[0] == null
                    ? "an empty image"
                    : baseImage + " (" + resolved[0].digest() + ")"));
  }

  /** One image per platform and the index over them ({@link #platforms}). */
  private void buildIndex(
      BuildImage.Options common,
      List<PlatformSpecifier> wanted,
      BaseImageSource base,
      ConfigUpdate.Builder config)
      throws IOException, MojoFailureException {
    List<MultiPlatformBuild.PlatformImage> images = new ArrayList<>();
    for (PlatformSpecifier p : wanted) {
      BaseImages.Resolved resolved = base == null ? null : base.resolveFor(p);
      if (resolved != null) {
        config.manifestAnnotations(
            BaseImageSource.annotations(resolved, Inputs.keyValues("annotations", annotations)));
      }
      images.add(
          new MultiPlatformBuild.PlatformImage(
              p, resolved == null ? null : resolved.image(), config.build()));
    }
    MultiPlatformBuild.Result result =
        MultiPlatformBuild.run(new MultiPlatformBuild.Options(common, images));
    getLog()
        .info(
            "Built image index "
                + common.target()
                + " ("
                + result.index().digest()
                + ") for "
                + result.manifests().stream()
                    .map(d -> PlatformSpecifier.describe(d.platform()))
                    .toList()
                + ", "
                + result.addedLayers().size()
                + " new layer(s) shared by its images"
                + (base == null ? "" : " on " + baseImage));
  }

  /** {@code common} starting from {@code base} (null: an empty image) with {@code config}. */
  private static BuildImage.Options withBase(
      BuildImage.Options common, BaseImages.Resolved base, ConfigUpdate.Options config) {
    return common.toBuilder().base(base == null ? null : base.image()).config(config).build();
  }

  /**
   * Removes the blobs no tag reaches from the layout when the plugin owns it (the default {@code
   * target/oci}, which {@code mvn clean} deletes anyway), so that rebuilds do not pile up old
   * images. A layout the POM points elsewhere is the user's: its blobs are left alone.
   *
   * <p>Every build writes or links a start image (the base's manifest and config, or an empty
   * image) that the new image replaces: removing those blobs is routine, logged at debug level
   * only. The info line counts the blobs that were there before this build ({@code before}: the
   * names of {@code blobs/sha256/} then), the images of earlier builds.
   */
  private void collectGarbage(Set<String> before) throws IOException {
    if (!ownsLayout()) {
      getLog().debug("Not collecting garbage in " + layout + ": not the plugin's own target/oci");
      return;
    }
    GarbageCollector.Result removed =
        GarbageCollect.run(new GarbageCollect.Options(layout.toPath()));
    long ofEarlierBuilds =
        removed.removedBlobs().stream().filter(d -> before.contains(d.blobPath())).count();
    getLog()
        .debug(
            "Removed "
                + (removed.removedBlobs().size() - ofEarlierBuilds)
                + " blob(s) of this build's start image, which the new image replaces");
    if (ofEarlierBuilds > 0) {
      getLog()
          .info(
              "Removed "
                  + ofEarlierBuilds
                  + " blob(s) of earlier builds that no tag uses from "
                  + layout);
    }
  }

  /**
   * The blob files of the layout as {@code <algorithm>/<hex>} names, empty when there is none yet
   * (only the plugin's own layout is collected, so only its names are needed).
   */
  private Set<String> blobFiles() throws IOException {
    Set<String> names = new HashSet<>();
    Path blobs = layout.toPath().resolve("blobs");
    if (!ownsLayout() || !Files.isDirectory(blobs)) {
      return names;
    }
    try (Stream<Path> files = Files.walk(blobs, 2)) {
      files
          .filter(f -> f.getNameCount() - blobs.getNameCount() == 2)
          .forEach(f -> names.add(f.getParent().getFileName() + "/" + f.getFileName()));
    }
    return names;
  }

  /** Whether {@link #layout} is the plugin's own {@code target/oci}. */
  private boolean ownsLayout() throws IOException {
    File owned = new File(project.getBuild().getDirectory(), "oci");
    return layout.getCanonicalFile().equals(owned.getCanonicalFile());
  }

  @Override
  protected Failures failures() {
    Failures failures = super.failures();
    if (baseImage != null) {
      String element = Xml.element("baseImage", baseImage);
      failures.on(ReferenceNotFoundException.class, element);
      // build talks to a registry only to pull the base: its failures (auth, TLS, ...) are the
      // base's.
      failures.on(RegistryException.class, element);
      try {
        BaseImages.Source source =
            BaseImages.parse(baseImage, project.getBasedir().toPath(), element);
        if (source instanceof BaseImages.ArchiveSource
            || source instanceof BaseImages.LayoutSource l
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
