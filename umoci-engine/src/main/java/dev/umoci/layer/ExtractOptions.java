package dev.umoci.layer;

import dev.umoci.fs.IdMapping;
import dev.umoci.fs.PosixFs;
import dev.umoci.oci.spec.InputLimits;
import java.util.Objects;

/**
 * How layers are applied to a rootfs.
 *
 * @param idMapping tar uids/gids are container ids, mapped to host ids through this; its {@code
 *     rootless} flag selects rootless extraction (no chown, fake device nodes, tolerated EPERM on
 *     xattrs, owners recorded in {@code user.rootlesscontainers})
 * @param keepDirlinks umoci's {@code --keep-dirlinks}: a directory entry over an existing symlink
 *     to a directory keeps the symlink and later entries go through it
 * @param fs the POSIX calls to use; wrapped with {@link PosixFs#rootless} in rootless mode
 * @param limits bounds on the layers' tar streams (sizes, entry count, header sizes)
 */
public record ExtractOptions(
    IdMapping idMapping, boolean keepDirlinks, PosixFs fs, InputLimits limits) {
  public ExtractOptions {
    Objects.requireNonNull(idMapping, "idMapping");
    Objects.requireNonNull(fs, "fs");
    Objects.requireNonNull(limits, "limits");
    if (idMapping.rootless()) {
      fs = PosixFs.rootless(fs);
    }
  }

  /** Options with the default {@link InputLimits}. */
  public ExtractOptions(IdMapping idMapping, boolean keepDirlinks, PosixFs fs) {
    this(idMapping, keepDirlinks, fs, InputLimits.defaults());
  }

  /** Identity mapping, no dirlinks, host calls. */
  public static ExtractOptions defaults() {
    return new ExtractOptions(IdMapping.identity(), false, PosixFs.host());
  }

  /** Options with {@code mapping}, no dirlinks, host calls. */
  public static ExtractOptions of(IdMapping mapping) {
    return new ExtractOptions(mapping, false, PosixFs.host());
  }

  public boolean rootless() {
    return idMapping.rootless();
  }

  public ExtractOptions withKeepDirlinks(boolean keep) {
    return new ExtractOptions(idMapping, keep, fs, limits);
  }

  public ExtractOptions withFs(PosixFs other) {
    return new ExtractOptions(idMapping, keepDirlinks, other, limits);
  }

  public ExtractOptions withLimits(InputLimits other) {
    return new ExtractOptions(idMapping, keepDirlinks, fs, other);
  }
}
