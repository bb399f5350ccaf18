package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.InvalidBundleException;
import dev.umoci.fs.IdMapping;
import dev.umoci.fs.PosixFs;
import dev.umoci.layer.ExtractOptions;
import dev.umoci.oci.layout.OciLayout;
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
   */
  public record Options(ImageRef image, Path rootfs, IdMapping mapping, boolean keepDirlinks) {
    public Options {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(rootfs, "rootfs");
      mapping = mapping == null ? IdMapping.identity() : mapping;
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
      UnpackSource source = UnpackSource.resolve(layout, options.image().tag());
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
            new ExtractOptions(mapping, options.keepDirlinks(), PosixFs.host());
        ImageUnpacker.unpack(layout, source, rootfs, extract, null);
      } catch (IOException | RuntimeException | Error e) {
        created.removeAll(e);
        throw e;
      }
      LOG.info("unpacked image rootfs: {}", rootfs);
    }
  }
}
