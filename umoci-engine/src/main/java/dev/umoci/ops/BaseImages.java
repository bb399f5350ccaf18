package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.PlatformNotFoundException;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Platform;
import dev.umoci.oci.spec.PlatformSpecifier;
import dev.umoci.registry.PlatformChoice;
import dev.umoci.registry.Reference;
import dev.umoci.registry.RegistryOptions;
import dev.umoci.registry.TransferListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a build's base image comes from: a local OCI layout or a registry. The rule, in order (a
 * relative path is taken from the project's directory, not from where the build runs):
 *
 * <ol>
 *   <li>{@code oci:PATH[:TAG]} is always a layout, {@code docker://REFERENCE} always a registry;
 *       {@code oci-archive:PATH[:TAG]}, {@code docker-archive:PATH[:NAME[:TAG]]} (as {@code copy}
 *       takes them) and Jib's {@code tar://PATH} (a {@code docker save} tar holding one image)
 *       always an archive, which must exist;
 *   <li>otherwise the value is a layout when its path (before the first {@code ':'}) is an existing
 *       OCI layout directory;
 *   <li>otherwise, when it reads as a path, it is a layout that is missing, which is an error: it
 *       starts with {@code /}, {@code ./}, {@code ../} or {@code ~}, or its first path segment is
 *       an existing file or directory (so that {@code images/base:1}, with a directory {@code
 *       images/} in the project, is never fetched from the registry user {@code images});
 *   <li>otherwise it is a registry reference ({@code eclipse-temurin:21-jre}, {@code
 *       ghcr.io/org/base@sha256:...}), and it must parse as one.
 * </ol>
 *
 * A registry base is pulled into the per-user {@link BaseImageCache} and used from there; an
 * archive is imported into it once per archive content ({@link BaseImageCache#resolveArchive}).
 */
public final class BaseImages {
  private BaseImages() {}

  /** OCI annotation: the reference the base image was taken from. */
  public static final String ANNOTATION_BASE_NAME = "org.opencontainers.image.base.name";

  /** OCI annotation: the manifest digest of the base image. */
  public static final String ANNOTATION_BASE_DIGEST = "org.opencontainers.image.base.digest";

  /** A parsed base-image value. */
  public sealed interface Source {}

  /** A base in a local layout. */
  public record LayoutSource(ImageRef image) implements Source {}

  /** A base in a registry. */
  public record RegistrySource(Reference reference) implements Source {}

  /** A base in an archive, its path absolute. */
  public record ArchiveSource(CopyLocation.Archive location) implements Source {}

  /** Jib's prefix of a base image in a {@code docker save} tar. */
  private static final String JIB_TAR = "tar://";

  /**
   * A base ready to build on: {@code image} (a local layout, or the cache); {@code name} and {@code
   * digest} for the base annotations ({@code name} is null for a local layout).
   */
  public record Resolved(ImageRef image, String name, Digest digest) {}

  /**
   * Applies the rule above to {@code value}, relative paths taken from {@code baseDir}; {@code
   * what} names the setting in errors.
   *
   * @throws InvalidArgumentException saying which readings were tried
   */
  public static Source parse(String value, Path baseDir, String what)
      throws InvalidArgumentException {
    if (value.startsWith("oci:")) {
      return new LayoutSource(against(baseDir, ImageRef.parse(value.substring(4), what)));
    }
    if (value.startsWith("docker://")) {
      return new RegistrySource(Reference.parse(value.substring(9)).withDefaultTag());
    }
    if (value.startsWith("oci-archive:") || value.startsWith("docker-archive:")) {
      return archive(CopyLocation.parse(value, what), value, baseDir, what);
    }
    if (value.startsWith(JIB_TAR)) {
      String path = value.substring(JIB_TAR.length());
      if (path.isEmpty()) {
        throw new InvalidArgumentException(
            "invalid " + what + " \"" + value + "\": archive path is empty");
      }
      try {
        return archive(
            new CopyLocation.DockerArchiveFile(Path.of(path), null), value, baseDir, what);
      } catch (InvalidPathException e) {
        throw new InvalidArgumentException(
            "invalid " + what + " \"" + value + "\": " + e.getMessage(), e);
      }
    }
    int colon = value.indexOf(':');
    String dir = colon < 0 ? value : value.substring(0, colon);
    Path path = baseDir.resolve(dir);
    if (!value.isEmpty() && InitLayout.isLayout(path)) {
      return new LayoutSource(against(baseDir, ImageRef.parse(value, what)));
    }
    String notLayout =
        what
            + " \""
            + value
            + "\": not a local OCI layout ("
            + path
            + (Files.exists(path) ? " is not an OCI layout" : " does not exist")
            + ")";
    if (readsAsPath(dir, baseDir)) {
      throw new InvalidArgumentException(
          notLayout
              + "; it reads as a path, so it is not looked up in a registry (write docker://"
              + value
              + " for that)");
    }
    try {
      return new RegistrySource(Reference.parse(value).withDefaultTag());
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(
          notLayout
              + " and not a registry reference ("
              + e.getMessage()
              + "); use oci:PATH[:TAG] or docker://REFERENCE to say which",
          e);
    }
  }

  /** {@code location}, an archive, with its path taken from {@code baseDir}; it must exist. */
  private static ArchiveSource archive(
      CopyLocation location, String value, Path baseDir, String what)
      throws InvalidArgumentException {
    CopyLocation.Archive absolute = ((CopyLocation.Archive) location).against(baseDir);
    Path file = absolute.archive();
    if (!Files.isRegularFile(file)) {
      throw new InvalidArgumentException(
          what
              + " \""
              + value
              + "\": archive "
              + file
              + (Files.exists(file) ? " is not a regular file" : " does not exist"));
    }
    return new ArchiveSource(absolute);
  }

  /** Rule 3: an explicit path, or one whose first segment exists in {@code baseDir}. */
  private static boolean readsAsPath(String dir, Path baseDir) {
    if (dir.startsWith("/")
        || dir.startsWith("./")
        || dir.startsWith("../")
        || dir.equals(".")
        || dir.equals("..")
        || dir.startsWith("~")) {
      return true;
    }
    int slash = dir.indexOf('/');
    String first = slash < 0 ? dir : dir.substring(0, slash);
    return !first.isEmpty() && Files.exists(baseDir.resolve(first));
  }

  private static ImageRef against(Path baseDir, ImageRef image) {
    return new ImageRef(baseDir.resolve(image.layout()), image.tag(), image.platform());
  }

  /**
   * Makes {@code source} available locally: a layout as it is, a registry image through {@code
   * cache} (see {@link BaseImageCache#resolve}).
   */
  public static Resolved resolve(
      Source source,
      PlatformChoice platform,
      boolean offline,
      RegistryOptions registry,
      BaseImageCache cache,
      TransferListener listener)
      throws IOException {
    if (source instanceof ArchiveSource archive) {
      source = new LayoutSource(cache.resolveArchive(archive.location(), System.getenv()).image());
    }
    if (source instanceof LayoutSource layout) {
      try (OciLayout l = OciLayout.open(layout.image().layout())) {
        // An index: the entry for the platform, as the build will take it (ImageRef, no platform
        // given); an image whatever its platform.
        Digest digest =
            (platform.all()
                    ? References.resolveManifest(l, layout.image().tag())
                    : References.resolveManifest(
                        l, layout.image().tag(), platform.platform(), false))
                .descriptor()
                .digest();
        return new Resolved(layout.image(), null, digest);
      }
    }
    Reference ref = ((RegistrySource) source).reference();
    BaseImageCache.Entry entry = cache.resolve(ref, platform, offline, registry, listener);
    return new Resolved(entry.image(), ref.toString(), entry.descriptor().digest());
  }

  /**
   * The base of one image of a multi-platform build: like {@link #resolve}, but only an image for
   * {@code platform} will do: from an image index (local or in a registry) the entry for it, and a
   * single image only when its config records that platform.
   *
   * @param value the base as the user wrote it, for messages
   * @throws PlatformNotFoundException naming {@code value} and {@code platform} (and what the base
   *     has), when the base has no image for it
   */
  public static Resolved resolveFor(
      Source source,
      String value,
      PlatformSpecifier platform,
      boolean offline,
      RegistryOptions registry,
      BaseImageCache cache,
      TransferListener listener)
      throws IOException {
    Resolved resolved;
    if (source instanceof ArchiveSource archive) {
      source = new LayoutSource(cache.resolveArchive(archive.location(), System.getenv()).image());
    }
    if (source instanceof LayoutSource layout) {
      ImageRef image = layout.image().withPlatform(platform);
      try (OciLayout l = OciLayout.open(image.layout())) {
        try {
          resolved = new Resolved(image, null, image.resolveManifest(l).descriptor().digest());
        } catch (PlatformNotFoundException e) {
          throw noPlatform(value, platform, indexPlatforms(l, image.tag()));
        }
      }
    } else {
      try {
        PlatformChoice choice =
            PlatformChoice.of(platform.os(), platform.architecture(), platform.variant());
        resolved = resolve(source, choice, offline, registry, cache, listener);
      } catch (dev.umoci.registry.PlatformNotFoundException e) {
        throw new PlatformNotFoundException(
            "base image "
                + value
                + " has no image for platform "
                + platform
                + ": "
                + e.getMessage());
      }
    }
    Platform actual = configPlatform(resolved.image());
    if (!platform.matches(actual)) {
      throw noPlatform(value, platform, "one image, for " + PlatformSpecifier.describe(actual));
    }
    return resolved;
  }

  private static PlatformNotFoundException noPlatform(
      String value, PlatformSpecifier platform, String offered) {
    return new PlatformNotFoundException(
        "base image "
            + value
            + " has no image for platform "
            + platform
            + " (it has "
            + offered
            + ")");
  }

  /** The platforms of the index entries {@code tag} names, as {@code os/arch[/variant]}. */
  private static String indexPlatforms(OciLayout layout, String tag) throws IOException {
    List<String> out = new ArrayList<>();
    for (Descriptor d : ImageBlobs.index(layout, References.resolve(layout, tag)).manifests()) {
      out.add(PlatformSpecifier.describe(d.platform()));
    }
    return String.join(", ", out);
  }

  /** The platform the config of {@code image}'s manifest records. */
  private static Platform configPlatform(ImageRef image) throws IOException {
    try (OciLayout l = OciLayout.open(image.layout())) {
      Descriptor manifest = image.resolveManifest(l).descriptor();
      Image config = ImageBlobs.imageConfig(l, manifest, ImageBlobs.manifest(l, manifest));
      return new Platform(config.architecture(), config.os(), null, null, config.variant(), null);
    }
  }
}
