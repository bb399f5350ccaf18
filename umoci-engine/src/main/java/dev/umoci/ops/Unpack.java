package dev.umoci.ops;

import dev.umoci.bundle.BundleMeta;
import dev.umoci.bundle.BundleMtree;
import dev.umoci.bundle.BundlePaths;
import dev.umoci.bundle.DigestCache;
import dev.umoci.bundle.RuntimeConfigFile;
import dev.umoci.bundle.RuntimeConfigGenerator;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.InvalidBundleException;
import dev.umoci.fs.IdMapping;
import dev.umoci.fs.PosixFs;
import dev.umoci.layer.ExtractOptions;
import dev.umoci.mtree.ContentDigester;
import dev.umoci.mtree.RecordedContentDigester;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.oci.spec.runtime.Spec;
import dev.umoci.sys.ExitRemovals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code umoci unpack}: extracts an image into a runtime bundle: {@code rootfs/} (every layer, in
 * order, verified), {@code config.json} (the image config as a runtime-spec configuration), {@code
 * sha256_<manifest hex>.mtree} (the rootfs as umoci's mtree, for {@code repack}) and {@code
 * umoci.json} (the descriptor walk and the id-mapping options).
 *
 * <p>The bundle directory may exist but must not hold {@code config.json}, {@code rootfs} or the
 * mtree; it is created if missing, with mode 0700 in either case. Everything is checked that can be
 * before anything is written. On failure, everything this run created is removed: the bundle
 * directory (and any parents) when this run created it, otherwise the files and the rootfs it
 * wrote. The layout is only read.
 *
 * <p>{@code umoci.json} is written last, atomically: a bundle without it is unfinished (a killed
 * {@code unpack} cannot clean up), and a second {@code unpack} into it refuses with a message that
 * says so rather than mixing two runs' files; {@code repack} refuses it too.
 *
 * <p>The mtree's {@code sha256digest} values are not read back from disk: extraction records the
 * SHA-256 of each file as it writes it, and the walk looks them up by inode.
 */
public final class Unpack {
  private static final Logger LOG = LoggerFactory.getLogger(Unpack.class);

  private Unpack() {}

  /**
   * @param image the image to unpack
   * @param bundle the bundle directory
   * @param mapping uid/gid maps and rootless mode ({@code --uid-map}, {@code --gid-map}, {@code
   *     --rootless}, with umoci's defaults applied by {@link IdMapping#of})
   * @param keepDirlinks {@code --keep-dirlinks}
   * @param limits bounds on the layers ({@code --max-layer-size}, {@code --max-layer-entries});
   *     null: the defaults and system properties of {@link InputLimits#fromSystemProperties}
   */
  public record Options(
      ImageRef image, Path bundle, IdMapping mapping, boolean keepDirlinks, InputLimits limits) {
    public Options {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(bundle, "bundle");
      mapping = mapping == null ? IdMapping.identity() : mapping;
    }

    /**
     * Options with umoci's defaults: identity mapping, directory symlinks replaced, the limits of
     * the system properties.
     */
    public static Options of(ImageRef image, Path bundle) {
      return new Options(image, bundle, IdMapping.identity(), false, null);
    }

    /** These options with {@code mapping} (uid/gid maps, rootless mode). */
    public Options withMapping(IdMapping mapping) {
      return new Options(image, bundle, mapping, keepDirlinks, limits);
    }

    /** These options with {@code --keep-dirlinks} ({@code true}) or without it. */
    public Options withKeepDirlinks(boolean keep) {
      return new Options(image, bundle, mapping, keep, limits);
    }

    /** These options with {@code limits} (null: the system properties' limits). */
    public Options withLimits(InputLimits limits) {
      return new Options(image, bundle, mapping, keepDirlinks, limits);
    }

    InputLimits effectiveLimits() throws IOException {
      return limits != null ? limits : InputLimits.fromSystemProperties();
    }
  }

  public static void run(Options options) throws IOException {
    run(options, ProgressListener.NONE);
  }

  /**
   * Unpacks, telling {@code progress} about the step {@code unpack}: the compressed bytes of the
   * layer blobs read (out of their total size) and the files written.
   */
  public static void run(Options options, ProgressListener progress) throws IOException {
    Path bundle = options.bundle();
    if (bundle.toString().isEmpty()) {
      throw new InvalidArgumentException("bundle path cannot be empty");
    }
    BundlePaths paths = new BundlePaths(bundle);
    IdMapping mapping = options.mapping();
    PosixFs fs = mapping.rootless() ? PosixFs.rootless(PosixFs.host()) : PosixFs.host();
    try (OciLayout layout = OciLayout.open(options.image().layout())) {
      UnpackSource source = UnpackSource.resolve(layout, options.image());
      source.requireLayers();
      Digest manifest = source.path().descriptor().digest();
      requireFreshBundle(paths, manifest);

      CreatedPaths created = new CreatedPaths(fs);
      try {
        created.directories(bundle);
        fs.chmod(bundle, 0700);

        Path rootfs = paths.rootfs();
        Files.createDirectory(rootfs);
        created.add(rootfs);
        fs.chmod(rootfs, 0755);
        progress.report(LOG, "unpack rootfs: {}", rootfs);
        RecordedContentDigester digests = new RecordedContentDigester(ContentDigester.streaming());
        ExtractOptions extract =
            new ExtractOptions(
                mapping, options.keepDirlinks(), PosixFs.host(), options.effectiveLimits());
        long total = source.manifest().layers().stream().mapToLong(Descriptor::size).sum();
        progress.started("unpack", total);
        try {
          ImageUnpacker.unpack(
              layout,
              source,
              rootfs,
              extract,
              (stat, sha256) -> {
                digests.record(stat, sha256);
                progress.advanced(0, 1);
              },
              progress);
        } finally {
          progress.finished();
        }

        Spec spec = new RuntimeConfigGenerator().generate(source.config(), rootfs, mapping);
        created.add(paths.configJson());
        RuntimeConfigFile.write(paths.configJson(), spec);

        progress.report(LOG, "computing filesystem manifest ...");
        // Digests recorded during extraction answer the walk; the digest cache remembers them
        // beside the bundle so that the next repack need not hash unchanged files again.
        BundleMtree.RecordedWalk walk =
            BundleMtree.RecordedWalk.walk(bundle, mapping.rootless(), DigestCache.empty(), digests);
        LOG.debug(
            "mtree digests: {} from extraction, {} hashed again", digests.hits(), digests.misses());
        Path mtreePath = paths.mtree(manifest);
        if (Files.exists(mtreePath, LinkOption.NOFOLLOW_LINKS)) {
          throw new InvalidBundleException(
              mtreePath.getFileName() + " appeared in bundle " + bundle + " during unpack");
        }
        created.add(mtreePath);
        BundleMtree.writeBytes(mtreePath, walk.bytes());

        Path cacheFile = bundle.resolve(DigestCache.FILE_NAME);
        if (!Files.exists(cacheFile, LinkOption.NOFOLLOW_LINKS)) {
          created.add(cacheFile);
        }
        walk.saveCache();

        if (!Files.exists(paths.metaJson(), LinkOption.NOFOLLOW_LINKS)) {
          created.add(paths.metaJson());
        }
        new BundleMeta(source.path().walk(), mapping).write(bundle);
      } catch (IOException | RuntimeException | Error e) {
        created.removeAll(e);
        throw e;
      }
      created.keep();
      progress.report(LOG, "unpacked image bundle: {}", bundle);
    }
  }

  /** Refuses a bundle that already holds config.json, rootfs or this manifest's mtree. */
  static void requireFreshBundle(BundlePaths paths, Digest manifest) throws IOException {
    Path bundle = paths.bundle();
    if (Files.exists(bundle, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(bundle)) {
      throw new InvalidBundleException("bundle " + bundle + " exists and is not a directory");
    }
    boolean unfinished = !Files.exists(paths.metaJson(), LinkOption.NOFOLLOW_LINKS);
    for (Path p : List.of(paths.configJson(), paths.rootfs(), paths.mtree(manifest))) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidBundleException(
            p.getFileName()
                + " already exists in bundle "
                + bundle
                + (unfinished
                    ? " but umoci.json does not: an earlier unpack did not finish; remove the"
                        + " bundle and unpack again"
                    : ": unpack into a new bundle"));
      }
    }
  }

  /**
   * What a run created, newest last, to be removed when it fails, or when the JVM is stopped
   * (SIGINT, SIGTERM) before the run ends ({@link ExitRemovals}): an unfinished bundle is of no
   * use, and the next {@code unpack} into it refuses. The run calls {@link #keep} once it has
   * succeeded.
   */
  static final class CreatedPaths {
    private final dev.umoci.sys.TreeRemover remover;
    private final List<Path> paths = new ArrayList<>();
    private final List<ExitRemovals.Registration> atExit = new ArrayList<>();

    CreatedPaths(PosixFs fs) {
      this.remover = fs.treeRemover(true, dir -> {});
    }

    void add(Path path) {
      paths.add(path);
      atExit.add(ExitRemovals.register(path));
    }

    /** Creates {@code dir} and missing parents, remembering the topmost one created. */
    void directories(Path dir) throws IOException {
      Path absolute = dir.toAbsolutePath();
      Path top = null;
      for (Path p = absolute; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); ) {
        top = p;
        p = p.getParent();
      }
      if (top != null) {
        atExit.add(ExitRemovals.register(top));
      }
      Files.createDirectories(absolute);
      if (top != null) {
        paths.add(top);
      }
    }

    /** Removes everything recorded, newest first; failures are added to {@code failure}. */
    void removeAll(Throwable failure) {
      for (int i = paths.size() - 1; i >= 0; i--) {
        try {
          remover.remove(paths.get(i));
        } catch (IOException | RuntimeException e) {
          failure.addSuppressed(e);
        }
      }
      paths.clear();
      keep();
    }

    /** The run succeeded: what it created stays, also at exit. */
    void keep() {
      atExit.forEach(ExitRemovals.Registration::close);
      atExit.clear();
    }
  }
}
