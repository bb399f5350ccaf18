package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.InvalidBundleException;
import dev.umoci.fs.IdMapping;
import dev.umoci.fs.PosixFs;
import dev.umoci.layer.ExtractOptions;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.InputLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code umoci raw unpack}: extracts the layers of an image into a rootfs directory only (no
 * config.json, mtree or umoci.json).
 *
 * <p>As umoci, the rootfs may already exist (layers are then applied over its content). On failure,
 * a rootfs this run created is removed with everything in it; a rootfs that existed before is left
 * in place (it may be partly written) rather than deleted, since it held the caller's data.
 */
public final class RawUnpack {
  private static final Logger LOG = LoggerFactory.getLogger(RawUnpack.class);

  private RawUnpack() {}

  /**
   * @param image the image to unpack
   * @param rootfs the directory to extract into
   * @param mapping uid/gid maps and rootless mode
   * @param keepDirlinks {@code --keep-dirlinks}
   * @param limits bounds on the layers ({@code --max-layer-size}, {@code --max-layer-entries});
   *     null: the defaults and system properties of {@link InputLimits#fromSystemProperties}
   */
  public record Options(
      ImageRef image, Path rootfs, IdMapping mapping, boolean keepDirlinks, InputLimits limits) {
    public Options {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(rootfs, "rootfs");
      mapping = mapping == null ? IdMapping.identity() : mapping;
    }

    /**
     * Options with umoci's defaults: identity mapping, directory symlinks replaced, the limits of
     * the system properties.
     */
    public static Options of(ImageRef image, Path rootfs) {
      return new Options(image, rootfs, IdMapping.identity(), false, null);
    }

    /** These options with {@code mapping} (uid/gid maps, rootless mode). */
    public Options withMapping(IdMapping mapping) {
      return new Options(image, rootfs, mapping, keepDirlinks, limits);
    }

    /** These options with {@code --keep-dirlinks} ({@code true}) or without it. */
    public Options withKeepDirlinks(boolean keep) {
      return new Options(image, rootfs, mapping, keep, limits);
    }

    /** These options with {@code limits} (null: the system properties' limits). */
    public Options withLimits(InputLimits limits) {
      return new Options(image, rootfs, mapping, keepDirlinks, limits);
    }

    InputLimits effectiveLimits() throws IOException {
      return limits != null ? limits : InputLimits.fromSystemProperties();
    }
  }

  public static void run(Options options) throws IOException {
    Path rootfs = options.rootfs();
    if (rootfs.toString().isEmpty()) {
      throw new InvalidArgumentException("rootfs path cannot be empty");
    }
    IdMapping mapping = options.mapping();
    PosixFs fs = mapping.rootless() ? PosixFs.rootless(PosixFs.host()) : PosixFs.host();
    try (OciLayout layout = OciLayout.open(options.image().layout())) {
      UnpackSource source = UnpackSource.resolve(layout, options.image());
      source.requireLayers();
      if (Files.exists(rootfs, LinkOption.NOFOLLOW_LINKS)
          && !Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidBundleException("rootfs " + rootfs + " exists and is not a directory");
      }
      Unpack.CreatedPaths created = new Unpack.CreatedPaths(fs);
      try {
        if (!Files.exists(rootfs, LinkOption.NOFOLLOW_LINKS)) {
          created.directories(rootfs);
          fs.chmod(rootfs, 0755);
        }
        LOG.info("unpacking rootfs {} ...", rootfs);
        ExtractOptions extract =
            new ExtractOptions(
                mapping, options.keepDirlinks(), PosixFs.host(), options.effectiveLimits());
        ImageUnpacker.unpack(layout, source, rootfs, extract, null, ProgressListener.NONE);
      } catch (IOException | RuntimeException | Error e) {
        created.removeAll(e);
        throw e;
      }
      created.keep();
      LOG.info("unpacked image rootfs: {}", rootfs);
    }
  }
}
