package dev.umoci.ops;

import dev.umoci.bundle.RuntimeConfigFile;
import dev.umoci.bundle.RuntimeConfigGenerator;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.fs.IdMapping;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.runtime.Spec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code umoci raw runtime-config} ({@code raw config}): writes only the runtime-spec {@code
 * config.json} generated from an image's config. With a rootfs, {@code Config.User} is resolved
 * through its {@code /etc/passwd} and {@code /etc/group}; without one, names become root. The file
 * is replaced atomically, so a failure leaves any earlier file untouched and no partial one.
 */
public final class RawRuntimeConfig {
  private RawRuntimeConfig() {}

  /**
   * @param image the image whose config is converted
   * @param configJson the file to write
   * @param rootfs {@code --rootfs}: the source of truth for users and groups (null: none)
   * @param mapping uid/gid maps and rootless mode
   */
  public record Options(ImageRef image, Path configJson, Path rootfs, IdMapping mapping) {
    public Options {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(configJson, "configJson");
      mapping = mapping == null ? IdMapping.identity() : mapping;
    }

    /** Options without a rootfs (user names become root) and with the identity mapping. */
    public static Options of(ImageRef image, Path configJson) {
      return new Options(image, configJson, null, IdMapping.identity());
    }

    /** These options with {@code --rootfs} (null: none). */
    public Options withRootfs(Path dir) {
      return new Options(image, configJson, dir, mapping);
    }

    /** These options with {@code mapping} (uid/gid maps, rootless mode). */
    public Options withMapping(IdMapping idMapping) {
      return new Options(image, configJson, rootfs, idMapping);
    }
  }

  /** Returns the generated configuration (as written). */
  public static Spec run(Options options) throws IOException {
    if (options.configJson().toString().isEmpty()) {
      throw new InvalidArgumentException("config.json path cannot be empty");
    }
    Path rootfs = options.rootfs();
    if (rootfs != null && rootfs.toString().isEmpty()) {
      rootfs = null;
    }
    try (OciLayout layout = OciLayout.open(options.image().layout())) {
      UnpackSource source = UnpackSource.resolve(layout, options.image());
      Spec spec = new RuntimeConfigGenerator().generate(source.config(), rootfs, options.mapping());
      RuntimeConfigFile.write(options.configJson(), spec);
      return spec;
    }
  }
}
