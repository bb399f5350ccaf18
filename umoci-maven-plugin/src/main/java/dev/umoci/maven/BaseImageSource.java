package dev.umoci.maven;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.TaskFailures;
import dev.umoci.oci.spec.PlatformSpecifier;
import dev.umoci.ops.BaseImageCache;
import dev.umoci.ops.BaseImages;
import dev.umoci.ops.HostPlatform;
import dev.umoci.registry.PlatformChoice;
import dev.umoci.registry.RegistryOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The {@code <baseImage>} of {@code build}, parsed once ({@link BaseImages#parse}) and resolved for
 * each platform: a local layout as it is, an archive or a registry image through the per-user
 * cache, a registry image with the credentials of the {@code settings.xml} server named as the
 * registry host ({@link ServerCredentials}), else the engine's own credential sources.
 */
final class BaseImageSource {
  private final String value;
  private final BaseImages.Source source;

  /** An archive base once imported: its image in the cache (read and hashed once per build). */
  private BaseImages.LayoutSource imported;

  private final boolean offline;
  private final RegistryOptions registry;

  private BaseImageSource(
      String value, BaseImages.Source source, boolean offline, RegistryOptions registry) {
    this.value = value;
    this.source = source;
    this.offline = offline;
    this.registry = registry;
  }

  /**
   * Parses {@code value}, a relative path taken from {@code baseDir} (the project's directory); for
   * a registry base, its options: TLS verified unless {@code insecure}, credentials from {@code
   * settings} when it has the registry's server, sent over plain HTTP only when {@code
   * credentialsOverHttp}; pulled through {@code mirrors} ({@link RegistryMirrors}), if any; {@code
   * auth} (may be null) wins over {@code settings} ({@link GoalCredentials}) for the base's
   * registry, not its mirrors.
   */
  static BaseImageSource of(
      String value,
      Path baseDir,
      boolean insecure,
      boolean credentialsOverHttp,
      boolean offline,
      List<RegistryMirror> mirrors,
      Settings settings,
      SettingsDecrypter decrypter,
      RegistryAuth auth)
      throws IOException, MojoFailureException {
    BaseImages.Source source;
    try {
      // the message names <baseImage> and the value itself: no element is to be put before it
      source = BaseImages.parse(value, baseDir, "<baseImage>");
    } catch (InvalidArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
    RegistryOptions.Builder registry =
        RegistryOptions.builder()
            .tlsVerify(!insecure)
            .sendCredentialsOverHttp(credentialsOverHttp)
            .userAgent(UserAgent.VALUE);
    if (source instanceof BaseImages.RegistrySource r) {
      registry.credentials(
          GoalCredentials.of(
              auth,
              "<baseImageAuth> (-Dumoci.baseImage.username/-Dumoci.baseImage.password)",
              settings,
              decrypter,
              r.reference().registry()));
      registry.mirrors(RegistryMirrors.of(mirrors, insecure, settings, decrypter));
    }
    return new BaseImageSource(value, source, offline, registry.build());
  }

  /**
   * The source to resolve for a platform: an archive is imported into the per-user cache on the
   * first call and taken from there as a layout after, so a multi-platform build reads and hashes
   * it once; any other source as it is.
   */
  private synchronized BaseImages.Source forResolving() throws IOException {
    if (!(source instanceof BaseImages.ArchiveSource archive)) {
      return source;
    }
    if (imported == null) {
      imported =
          new BaseImages.LayoutSource(
              BaseImageCache.forUser(System.getenv())
                  .resolveArchive(archive.location(), System.getenv())
                  .image());
    }
    return imported;
  }

  /** Whether the base comes from a registry (through the per-user cache). */
  boolean fromRegistry() {
    return source instanceof BaseImages.RegistrySource;
  }

  /** Whether the base comes from an archive (through the per-user cache). */
  boolean fromArchive() {
    return source instanceof BaseImages.ArchiveSource;
  }

  /** The registry options a registry base is pulled with. */
  RegistryOptions registry() {
    return registry;
  }

  /**
   * The base for a one-platform build of {@code p}. When the pom names the platform ({@code
   * given}), a single-image base must be for it (as in a multi-platform build): its layers are that
   * platform's, and the image would otherwise be labelled for another. Else an index's entry for
   * {@code p} (the host's), or a single image whatever its platform, which the image then keeps.
   */
  BaseImages.Resolved resolve(HostPlatform p, boolean given) throws IOException {
    if (given) {
      return resolveFor(new PlatformSpecifier(p.os(), p.architecture(), p.variant()));
    }
    return BaseImages.resolve(
        forResolving(),
        PlatformChoice.of(p.os(), p.architecture(), p.variant()),
        offline,
        registry,
        BaseImageCache.forUser(System.getenv()),
        null);
  }

  /**
   * Starts {@link #resolve} on a thread of its own, so that the registry round trip (or the pull)
   * runs while the goal prepares the application; {@link Pending#get} waits for its answer.
   */
  Pending resolveInBackground(HostPlatform p, boolean given) {
    FutureTask<BaseImages.Resolved> task = new FutureTask<>(() -> resolve(p, given));
    Thread thread = new Thread(task, "umoci-base-image");
    thread.setDaemon(true);
    thread.start();
    return new Pending(task);
  }

  /** A base being resolved by {@link #resolveInBackground}. */
  static final class Pending {
    private final FutureTask<BaseImages.Resolved> task;

    private Pending(FutureTask<BaseImages.Resolved> task) {
      this.task = task;
    }

    /** The resolved base, or what resolving it threw. */
    BaseImages.Resolved get() throws IOException {
      boolean interrupted = false;
      try {
        while (true) {
          try {
            return task.get();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } catch (ExecutionException e) {
        throw TaskFailures.cause(e, "resolving the base image");
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** Waits for the resolution to end, whatever its outcome (before failing the goal). */
    void awaitQuietly() {
      try {
        get();
      } catch (IOException | RuntimeException ignored) {
        // the goal fails for another reason, which it reports
      }
    }
  }

  /** The base of the image for {@code platform} of a multi-platform build. */
  BaseImages.Resolved resolveFor(PlatformSpecifier platform) throws IOException {
    return BaseImages.resolveFor(
        forResolving(),
        value,
        platform,
        offline,
        registry,
        BaseImageCache.forUser(System.getenv()),
        null);
  }

  /**
   * The manifest annotations of an image on {@code base}: the base's name (registry bases) and
   * digest, then {@code given} (which may replace them).
   */
  static List<String> annotations(BaseImages.Resolved base, List<String> given) {
    List<String> out = new ArrayList<>();
    if (base.name() != null) {
      out.add(BaseImages.ANNOTATION_BASE_NAME + "=" + base.name());
    }
    out.add(BaseImages.ANNOTATION_BASE_DIGEST + "=" + base.digest());
    if (given != null) {
      out.addAll(given);
    }
    return out;
  }
}
