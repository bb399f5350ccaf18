package dev.umoci.ops;

import dev.umoci.bundle.BundleMeta;
import dev.umoci.bundle.BundleMtree;
import dev.umoci.bundle.BundlePaths;
import dev.umoci.bundle.DeferredContent;
import dev.umoci.bundle.DigestCache;
import dev.umoci.bundle.SnapshotDiff;
import dev.umoci.errors.BlobNotFoundException;
import dev.umoci.errors.InvalidBundleException;
import dev.umoci.layer.DeltaLayerWriter;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.mtree.ContentDigester;
import dev.umoci.mtree.DeltaFilters;
import dev.umoci.mtree.InodeDelta;
import dev.umoci.mtree.MtreeCompare;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.mtree.MtreeWalker;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.mutate.ImageMutator;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.ReferenceNames;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.History;
import dev.umoci.oci.spec.ImageConfig;
import dev.umoci.oci.spec.MediaTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code umoci repack}: compares a bundle's rootfs with the mtree saved when it was unpacked and
 * appends the difference as one layer to the manifest recorded in {@code umoci.json}, then tags the
 * result {@code image.tag()}. Paths at or under {@code maskPaths} (and the image's volumes unless
 * {@code noMaskVolumes}) are left out; a deleted directory becomes one whiteout. An empty
 * difference adds no layer, only an {@code empty_layer} history entry (umoci 0.4.5 and later). With
 * {@code refreshBundle} the bundle's mtree and {@code umoci.json} are moved to the new manifest.
 * Problems with the bundle are found before anything is written to the layout.
 */
public final class Repack {
  private static final Logger LOG = LoggerFactory.getLogger(Repack.class);

  private Repack() {}

  /**
   * @param useDigestCache read and update the bundle's digest cache ({@link DigestCache}); results
   *     are the same either way
   */
  public record Options(
      ImageRef image,
      Path bundle,
      List<String> maskPaths,
      boolean noMaskVolumes,
      boolean refreshBundle,
      CompressionChoice compression,
      HistoryOptions history,
      Timestamps timestamps,
      boolean useDigestCache) {
    public Options {
      maskPaths = maskPaths == null ? List.of() : List.copyOf(maskPaths);
    }

    /** Options with umoci's defaults: no masks, volumes masked, auto compression, history. */
    public static Options of(ImageRef image, Path bundle, Timestamps timestamps) {
      return new Options(
          image,
          bundle,
          List.of(),
          false,
          false,
          CompressionChoice.AUTO,
          HistoryOptions.defaults(),
          timestamps,
          true);
    }

    /** These options with {@code paths} (bundle-relative) left out of the layer. */
    public Options withMaskPaths(List<String> paths) {
      return new Options(
          image,
          bundle,
          paths,
          noMaskVolumes,
          refreshBundle,
          compression,
          history,
          timestamps,
          useDigestCache);
    }

    /** These options with the image's volumes included in the layer ({@code true}) or masked. */
    public Options withNoMaskVolumes(boolean include) {
      return new Options(
          image,
          bundle,
          maskPaths,
          include,
          refreshBundle,
          compression,
          history,
          timestamps,
          useDigestCache);
    }

    /** These options with the bundle's metadata rewritten for the new image ({@code true}). */
    public Options withRefreshBundle(boolean refresh) {
      return new Options(
          image,
          bundle,
          maskPaths,
          noMaskVolumes,
          refresh,
          compression,
          history,
          timestamps,
          useDigestCache);
    }

    public Options withCompression(CompressionChoice choice) {
      return new Options(
          image,
          bundle,
          maskPaths,
          noMaskVolumes,
          refreshBundle,
          choice,
          history,
          timestamps,
          useDigestCache);
    }

    public Options withHistory(HistoryOptions entry) {
      return new Options(
          image,
          bundle,
          maskPaths,
          noMaskVolumes,
          refreshBundle,
          compression,
          entry,
          timestamps,
          useDigestCache);
    }

    /** These options with the bundle's digest cache used ({@code true}, the default) or ignored. */
    public Options withDigestCache(boolean use) {
      return new Options(
          image,
          bundle,
          maskPaths,
          noMaskVolumes,
          refreshBundle,
          compression,
          history,
          timestamps,
          use);
    }
  }

  /** What a repack did. */
  public record Result(DescriptorPath manifest, Descriptor layer, List<InodeDelta> deltas) {}

  /** Runs the repack; returns the new manifest path, the layer (null when empty) and the diff. */
  public static Result run(Options options) throws IOException {
    return run(options, ProgressListener.NONE);
  }

  /**
   * Repacks, telling {@code progress} about the step {@code repack} while the new layer is written:
   * the uncompressed tar bytes (no total) and the changed paths written.
   */
  public static Result run(Options options, ProgressListener progress) throws IOException {
    ReferenceNames.require(options.image().tag(), "--image");
    options.history().validate();
    long started = System.nanoTime();
    Path bundle = options.bundle();
    BundleMeta meta = BundleMeta.read(bundle);
    Descriptor manifest = meta.manifest();
    if (!MediaTypes.isManifest(manifest.mediaType())) {
      throw new InvalidBundleException(
          "invalid saved from descriptor in "
              + new BundlePaths(bundle).metaJson()
              + ": not an image manifest ("
              + manifest.mediaType()
              + ")");
    }
    BundlePaths paths = new BundlePaths(bundle);
    Path mtreeFile = paths.existingMtree(manifest.digest());
    byte[] mtreeBytes = BundleMtree.readBytes(mtreeFile);
    boolean rootless = meta.mapOptions().rootless();
    DigestCache cache = options.useDigestCache() ? DigestCache.load(bundle) : DigestCache.empty();
    MtreeWalker walker = BundleMtree.walker(paths.rootfs(), rootless, cache);
    String context = BundleMtree.context(walker, rootless);
    // The full parse checks the mtree; a cache bound to exactly these bytes was made with them by
    // a walk of ours, which only writes complete documents. A refresh needs it before anything
    // else; a diff without a bound cache parses it while it lists the rootfs.
    boolean cacheBound = cache.isBoundTo(mtreeBytes, context);
    MtreeSpec spec =
        options.refreshBundle() ? BundleMtree.parseComplete(mtreeFile, mtreeBytes) : null;

    try (OciLayout layout = OciLayout.open(options.image().layout())) {
      DescriptorPath from = new DescriptorPath(meta.descriptorWalk());
      ImageMutator mutator = load(layout, from, bundle);
      List<String> masks = new ArrayList<>(options.maskPaths());
      ImageConfig config = mutator.image().config();
      if (!options.noMaskVolumes() && config != null && config.volumes() != null) {
        masks.addAll(config.volumes());
      }

      Path rootfs = paths.rootfs();
      if (!Files.isDirectory(rootfs)) {
        throw new InvalidBundleException("bundle " + bundle + " has no rootfs directory");
      }
      // Without a bound cache every path is described, on every core; only a refresh, which
      // writes the walk as the bundle's new mtree, walks in full. New files, and files whose size
      // changed, are hashed while they are written into the layer (DeferredContent).
      DeferredContent listed = new DeferredContent();
      List<InodeDelta> all = null;
      if (!options.refreshBundle()) {
        all =
            cacheBound
                ? SnapshotDiff.diff(cache, mtreeBytes, rootfs, walker, context, listed)
                : SnapshotDiff.diff(
                    () -> BundleMtree.indexComplete(mtreeFile, mtreeBytes), rootfs, walker, listed);
      }
      // A full walk describes every file completely: nothing is held back then.
      DeferredContent later = all != null ? listed : new DeferredContent();
      BundleMtree.RecordedWalk now = null;
      if (all == null) {
        if (spec == null) {
          spec = BundleMtree.parseComplete(mtreeFile, mtreeBytes);
        }
        now = BundleMtree.RecordedWalk.walk(bundle, rootless, cache, ContentDigester.streaming());
        all = MtreeCompare.compare(spec, now.spec(), walker.keywords());
      }
      long diffed = System.nanoTime();
      List<InodeDelta> filtered =
          DeltaFilters.apply(all, DeltaFilters.mask(masks), DeltaFilters.simplify(all));
      LOG.debug("repack: {} changes ({} before filtering)", filtered.size(), all.size());

      String author = mutator.image().author();
      Descriptor layer = null;
      if (filtered.isEmpty()) {
        History entry = options.history().entry("umoci repack", author, options.timestamps(), true);
        if (entry != null) {
          mutator.addHistory(entry);
        }
      } else {
        History entry =
            options.history().entry("umoci repack", author, options.timestamps(), false);
        GenerateOptions generate =
            GenerateOptions.of(
                meta.mapOptions(), options.timestamps().sourceDateEpoch().orElse(null));
        progress.started("repack", -1);
        try {
          layer =
              mutator.addLayer(
                  out ->
                      DeltaLayerWriter.write(
                          ProgressStreams.counting(out, progress),
                          rootfs,
                          filtered,
                          generate,
                          () -> progress.advanced(0, 1),
                          later::holds,
                          later.observer()),
                  options.compression(),
                  entry);
        } finally {
          progress.finished();
        }
      }
      long written = System.nanoTime();
      List<InodeDelta> deltas = later.complete(filtered, walker, cache, rootfs);
      DescriptorPath committed = mutator.commit();
      References.update(layout, options.image().tag(), committed.root());
      progress.report(LOG, "created new tag for image manifest: {}", options.image().tag());

      if (options.refreshBundle()) {
        refresh(bundle, meta, manifest, committed, now, options.useDigestCache());
      } else if (options.useDigestCache() && !cacheBound) {
        // A cache bound to the unchanged mtree stays; otherwise keep the digests just computed.
        cache.save(bundle);
      }
      LOG.debug(
          "repack: diff {} ms, layer {} ms, commit and bundle {} ms",
          (diffed - started) / 1_000_000,
          (written - diffed) / 1_000_000,
          (System.nanoTime() - written) / 1_000_000);
      return new Result(committed, layer, deltas);
    }
  }

  private static ImageMutator load(OciLayout layout, DescriptorPath from, Path bundle)
      throws IOException {
    for (Descriptor d : from.walk()) {
      if (!layout.hasBlob(d.digest())) {
        throw gone(layout, d, bundle);
      }
    }
    try {
      return ImageMutator.load(layout, from);
    } catch (BlobNotFoundException e) {
      throw new InvalidBundleException(
          "image of bundle "
              + bundle
              + " is incomplete in layout "
              + layout.root()
              + " (garbage-collected?): "
              + e.getMessage(),
          e);
    }
  }

  private static InvalidBundleException gone(OciLayout layout, Descriptor d, Path bundle) {
    return new InvalidBundleException(
        "bundle "
            + bundle
            + " was unpacked from "
            + d.digest()
            + ", which is no longer in layout "
            + layout.root()
            + " (garbage-collected?)");
  }

  /**
   * Points the bundle at the new manifest: its mtree is the walk the diff was computed from (the
   * rootfs is what the new image holds) and, with {@code saveCache}, the digest cache is bound to
   * it; the old mtree goes, umoci.json gets the new walk.
   */
  private static void refresh(
      Path bundle,
      BundleMeta meta,
      Descriptor oldManifest,
      DescriptorPath committed,
      BundleMtree.RecordedWalk rootfsWalk,
      boolean saveCache)
      throws IOException {
    BundlePaths paths = new BundlePaths(bundle);
    BundleMtree.writeBytes(paths.mtree(committed.descriptor().digest()), rootfsWalk.bytes());
    if (saveCache) {
      rootfsWalk.saveCache();
    }
    if (!committed.descriptor().digest().equals(oldManifest.digest())) {
      Files.deleteIfExists(paths.mtree(oldManifest.digest()));
    }
    meta.withDescriptorWalk(committed.walk()).write(bundle);
  }
}
