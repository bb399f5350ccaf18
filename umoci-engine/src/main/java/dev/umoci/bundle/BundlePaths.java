package dev.umoci.bundle;

import dev.umoci.errors.InvalidBundleException;
import dev.umoci.oci.spec.Digest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The fixed names inside an unpacked bundle directory: {@code rootfs/}, {@code config.json}, {@code
 * umoci.json} and {@code sha256_<manifest hex>.mtree} (umoci replaces the first {@code :} of the
 * manifest digest by {@code _}).
 */
public record BundlePaths(Path bundle) {
  public static final String ROOTFS = "rootfs";
  public static final String CONFIG_JSON = "config.json";
  public static final String META_JSON = "umoci.json";
  public static final String MTREE_SUFFIX = ".mtree";

  public Path rootfs() {
    return bundle.resolve(ROOTFS);
  }

  public Path configJson() {
    return bundle.resolve(CONFIG_JSON);
  }

  public Path metaJson() {
    return bundle.resolve(META_JSON);
  }

  /** {@code <algorithm>_<hex>.mtree} for the manifest the bundle was unpacked from. */
  public static String mtreeName(Digest manifest) {
    return manifest.algorithm() + "_" + manifest.hex() + MTREE_SUFFIX;
  }

  /** Where the mtree of {@code manifest} lives in this bundle (it may not exist). */
  public Path mtree(Digest manifest) {
    return bundle.resolve(mtreeName(manifest));
  }

  /**
   * The existing mtree of {@code manifest}; a missing one means the bundle was not unpacked from
   * that manifest (or was damaged), reported as an {@link InvalidBundleException} naming the file.
   */
  public Path existingMtree(Digest manifest) throws InvalidBundleException {
    Path path = mtree(manifest);
    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidBundleException(
          "bundle " + bundle + " has no mtree manifest " + path.getFileName() + " for " + manifest);
    }
    return path;
  }
}
