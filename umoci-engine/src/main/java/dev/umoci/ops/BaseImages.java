package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Digest;
import dev.umoci.registry.PlatformChoice;
import dev.umoci.registry.Reference;
import dev.umoci.registry.RegistryOptions;
import dev.umoci.registry.TransferListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a build's base image comes from: a local OCI layout or a registry. The rule, in order:
 *
 * <ol>
 *   <li>{@code oci:PATH[:TAG]} is always a layout, {@code docker://REFERENCE} always a registry;
 *   <li>otherwise the value is a layout when its path (before the first {@code ':'}) is an existing
 *       OCI layout directory;
 *   <li>otherwise it is a registry reference ({@code eclipse-temurin:21-jre}, {@code
 *       ghcr.io/org/base@sha256:...}), and it must parse as one.
 * </ol>
 *
 * A registry base is pulled into the per-user {@link BaseImageCache} and used from there.
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

  /**
   * A base ready to build on: {@code image} (a local layout, or the cache); {@code name} and {@code
   * digest} for the base annotations ({@code name} is null for a local layout).
   */
  public record Resolved(ImageRef image, String name, Digest digest) {}

  /**
   * Applies the rule above to {@code value}; {@code what} names the setting in errors.
   *
   * @throws InvalidArgumentException saying which readings were tried
   */
  public static Source parse(String value, String what) throws InvalidArgumentException {
    if (value.startsWith("oci:")) {
      return new LayoutSource(ImageRef.parse(value.substring(4)));
    }
    if (value.startsWith("docker://")) {
      return new RegistrySource(Reference.parse(value.substring(9)).withDefaultTag());
    }
    int colon = value.indexOf(':');
    Path path = Path.of(colon < 0 ? value : value.substring(0, colon));
    if (!value.isEmpty() && InitLayout.isLayout(path)) {
      return new LayoutSource(ImageRef.parse(value));
    }
    try {
      return new RegistrySource(Reference.parse(value).withDefaultTag());
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(
          what
              + " \""
              + value
              + "\": not a local OCI layout ("
              + path.toAbsolutePath()
              + (Files.exists(path) ? " is not an OCI layout" : " does not exist")
              + ") and not a registry reference ("
              + e.getMessage()
              + "); use oci:PATH[:TAG] or docker://REFERENCE to say which",
          e);
    }
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
    if (source instanceof LayoutSource layout) {
      try (OciLayout l = OciLayout.open(layout.image().layout())) {
        Digest digest = References.resolveManifest(l, layout.image().tag()).descriptor().digest();
        return new Resolved(layout.image(), null, digest);
      }
    }
    Reference ref = ((RegistrySource) source).reference();
    BaseImageCache.Entry entry = cache.resolve(ref, platform, offline, registry, listener);
    return new Resolved(entry.image(), ref.toString(), entry.descriptor().digest());
  }
}
