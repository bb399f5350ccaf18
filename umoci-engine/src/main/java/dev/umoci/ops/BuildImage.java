package dev.umoci.ops;

import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.mutate.ImageMutator;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.History;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.ImageConfig;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.Rfc3339;
import dev.umoci.oci.spec.RootFs;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds an image in one step and one commit (what the Maven plugin's {@code build} goal runs):
 *
 * <ol>
 *   <li>start from {@link Options#base()} (an image in another layout, whose blobs are linked or
 *       copied into the target layout by {@link BaseBlobs}, or in the target layout itself; in an
 *       image index the manifest for the base's platform) or, when null, from a new empty image of
 *       {@link Options#platform()};
 *   <li>apply {@link Options#config()} (as {@code umoci config} would, without its history entry)
 *       and set {@code created} to {@link Options#timestamps()} unless the config sets it;
 *   <li>append one layer of whiteouts for {@link Options#deletions()}, when there are any;
 *   <li>append one layer per non-empty {@link Layer}, in order: each entry's source (file, symlink
 *       or directory tree) at its target path, preceded by directory entries for the target's
 *       parents;
 *   <li>commit once and tag {@link Options#target()}; the target layout is created when missing.
 * </ol>
 *
 * Layer content is generated with {@link Options#generate()} (owner, time clamp), so fixed options
 * and unchanged inputs give identical digests. Every layer gets a history entry whose {@code
 * created_by} is the layer's description (the whiteout layer's is {@code umoci build: delete});
 * when no layer is added, one {@code empty_layer} entry {@code umoci build} records the build.
 *
 * <p>This class keeps the order of the steps; {@link BuildInputs} checks the options before
 * anything is written, {@link BaseBlobs} brings the base's blobs, {@link BuildLayers} writes (or
 * takes from the {@link LayerCache}) the layers.
 */
public final class BuildImage {
  private BuildImage() {}

  /** Put {@code source} (file, symlink or directory tree) at the absolute image path target. */
  public record Entry(Path source, String target) {
    public Entry {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(target, "target");
    }

    /**
     * The entry putting {@code source} at {@code directory} + its own file name, the name kept byte
     * for byte in any locale ({@code Path.toString()} is lossy under {@code LC_ALL=C}).
     *
     * @param directory an absolute image path ending in '/'
     */
    public static Entry under(String directory, Path source) {
      return new Entry(source, directory + PathBytes.text(PathBytes.fileName(source)));
    }

    /** Orders entries by their sources' file names as bytes (unsigned), whatever the locale. */
    public static int byFileName(Path a, Path b) {
      return java.util.Arrays.compareUnsigned(PathBytes.fileName(a), PathBytes.fileName(b));
    }
  }

  /** One layer: its history {@code created_by} and its entries, written in this order. */
  public record Layer(String createdBy, List<Entry> entries) {
    public Layer {
      entries = List.copyOf(entries);
    }
  }

  /**
   * Layer options for files taken from a build: owned by root (0:0) whatever their owner on disk,
   * every file and directory timed {@code time} whatever its time on disk (null: times kept), so
   * the times of a checkout or a download never reach a digest; identity mapping.
   */
  public static GenerateOptions rootOwnedLayers(java.time.Instant time) {
    return new GenerateOptions(dev.umoci.fs.IdMapping.identity(), time, 0, 0, false, true);
  }

  /**
   * @param base image to start from, or null for an empty image
   * @param target layout (created when missing) and tag of the result
   * @param platform platform of the empty image when {@code base} is null; null = this host
   * @param deletions absolute paths the result must not have (whiteouts); null = none
   * @param layers layers to append, least often changed first; empty ones are skipped
   * @param config configuration changes (its image, newTag, history and timestamps are unused);
   *     null = none
   * @param history history options for every entry this build adds; null = defaults
   * @param compression compression of the new layers ({@code auto}: as the base's, else gzip)
   * @param generate how files become tar entries (forced owner, mtime clamp)
   * @param timestamps the {@code created} time of the image and its history entries
   * @param layerCache directory of the {@link LayerCache} (layers whose inputs are unchanged since
   *     an earlier build into the same layout are appended as written then); null = none
   */
  public record Options(
      ImageRef base,
      ImageRef target,
      HostPlatform platform,
      List<String> deletions,
      List<Layer> layers,
      ConfigUpdate.Options config,
      HistoryOptions history,
      CompressionChoice compression,
      GenerateOptions generate,
      Timestamps timestamps,
      Path layerCache) {
    /**
     * A builder for an image tagged {@code target} with {@code timestamps}; every other value
     * starts at its default (no base, no layers, this host's platform, defaults as above).
     */
    public static Builder builder(ImageRef target, Timestamps timestamps) {
      return new Builder(target, timestamps);
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
      Builder b = new Builder(target, timestamps);
      b.base = base;
      b.platform = platform;
      b.deletions = deletions;
      b.layers = layers;
      b.config = config;
      b.history = history;
      b.compression = compression;
      b.generate = generate;
      b.layerCache = layerCache;
      return b;
    }

    /** Names each value of {@link Options}; unset values keep their defaults. */
    public static final class Builder {
      private ImageRef target;
      private final Timestamps timestamps;
      private ImageRef base;
      private HostPlatform platform;
      private List<String> deletions;
      private List<Layer> layers;
      private ConfigUpdate.Options config;
      private HistoryOptions history;
      private CompressionChoice compression;
      private GenerateOptions generate;
      private Path layerCache;

      private Builder(ImageRef target, Timestamps timestamps) {
        this.target = target;
        this.timestamps = timestamps;
      }

      public Builder target(ImageRef target) {
        this.target = target;
        return this;
      }

      public Builder base(ImageRef base) {
        this.base = base;
        return this;
      }

      public Builder platform(HostPlatform platform) {
        this.platform = platform;
        return this;
      }

      public Builder deletions(List<String> deletions) {
        this.deletions = deletions;
        return this;
      }

      public Builder layers(List<Layer> layers) {
        this.layers = layers;
        return this;
      }

      public Builder config(ConfigUpdate.Options config) {
        this.config = config;
        return this;
      }

      public Builder history(HistoryOptions history) {
        this.history = history;
        return this;
      }

      public Builder compression(CompressionChoice compression) {
        this.compression = compression;
        return this;
      }

      public Builder generate(GenerateOptions generate) {
        this.generate = generate;
        return this;
      }

      public Builder layerCache(Path layerCache) {
        this.layerCache = layerCache;
        return this;
      }

      public Options build() {
        return new Options(
            base,
            target,
            platform,
            deletions,
            layers,
            config,
            history,
            compression,
            generate,
            timestamps,
            layerCache);
      }
    }

    public Options {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(timestamps, "timestamps");
      deletions = deletions == null ? List.of() : List.copyOf(deletions);
      layers = layers == null ? List.of() : List.copyOf(layers);
      history = history == null ? HistoryOptions.defaults() : history;
      compression = compression == null ? CompressionChoice.AUTO : compression;
      generate = generate == null ? GenerateOptions.defaults() : generate;
    }
  }

  /** The tagged manifest and the layers this build added. */
  public record Result(Descriptor manifest, List<Descriptor> addedLayers) {}

  /**
   * A layer a build added, as another image of the same build appends it again: the blob, its
   * DiffID and the {@code created_by} of its history entry.
   */
  record AddedLayer(Descriptor layer, Digest diffId, String createdBy) {}

  /** An untagged image a build wrote: its manifest and the layers it added. */
  record Built(Descriptor manifest, List<AddedLayer> layers) {}

  public static Result run(Options o) throws IOException {
    return run(o, null);
  }

  /** The complete options of a build, once its base image is known (waits for it). */
  @FunctionalInterface
  public interface PendingOptions {
    Options get() throws IOException;
  }

  /**
   * Builds the image of the options {@code pending} gives, having first written the layers of
   * {@code common} (the same build before its base and config are known: same target, layers,
   * compression and generation options) into the target layout ({@link PreparedLayers}), so that
   * the layers are written while {@code pending} waits for the base. The image is the one {@link
   * #run(Options)} of those options makes. When {@code pending} fails, or gives options {@code run}
   * refuses, what preparing wrote is {@linkplain PreparedLayers#discard discarded} and the failure
   * thrown: nothing is left.
   *
   * <p>The prepared blobs are garbage of the layout until the image references them: a build that
   * cannot use them (another compression than guessed) leaves them to the next garbage collection,
   * so callers use this in a layout whose garbage they collect.
   */
  public static Result runPrepared(Options common, PendingOptions pending) throws IOException {
    return PreparedLayers.build(common, pending);
  }

  /**
   * {@link #run(Options)}, appending the blobs {@code prepared} (null: none) holds for this build's
   * layers instead of generating them again, when they were written with the compression, the
   * generation options and into the layout of this build; the image is the same either way.
   */
  static Result run(Options o, PreparedLayers prepared) throws IOException {
    BuildInputs.validate(o);
    Descriptor baseManifest = baseManifest(o);
    try (OciLayout target = openOrCreate(o.target().layout())) {
      Built built = buildUntagged(target, o, baseManifest, null, prepared);
      References.update(target, o.target().tag(), built.manifest());
      List<Descriptor> added = new ArrayList<>();
      for (AddedLayer layer : built.layers()) {
        added.add(layer.layer());
      }
      return new Result(
          built.manifest().withAnnotation(MediaTypes.ANNOTATION_REF_NAME, o.target().tag()), added);
    }
  }

  /**
   * The manifest of {@link Options#base()} (in an image index, the one for the base's platform, see
   * {@link ImageRef#resolveManifest}), or null without a base; resolved before anything is written.
   */
  static Descriptor baseManifest(Options o) throws IOException {
    ImageRef base = o.base();
    if (base == null) {
      return null;
    }
    try (OciLayout source = OciLayout.open(base.layout())) {
      return base.resolveManifest(source).descriptor();
    }
  }

  /** {@link #buildUntagged(OciLayout, Options, Descriptor, List, PreparedLayers)} without. */
  static Built buildUntagged(
      OciLayout target, Options o, Descriptor baseManifest, List<AddedLayer> reuse)
      throws IOException {
    return buildUntagged(target, o, baseManifest, reuse, null);
  }

  /**
   * Steps 1 to 4 in {@code target} (already open), without tagging: the manifest is only reachable
   * once the caller references it. {@code baseManifest} is {@link #baseManifest}'s answer. With
   * {@code reuse} null the layers are generated; otherwise the blobs of {@code reuse} (which
   * another build in this layout wrote) are appended instead, so that every image of a
   * multi-platform build shares the same application layers; {@code prepared} (null: none) are
   * blobs written for these layers before the base was known.
   */
  static Built buildUntagged(
      OciLayout target,
      Options o,
      Descriptor baseManifest,
      List<AddedLayer> reuse,
      PreparedLayers prepared)
      throws IOException {
    Descriptor start = baseManifest == null ? emptyImage(target, o) : baseManifest;
    if (baseManifest != null && !sameDirectory(o.base().layout(), target.root())) {
      try (OciLayout source = OciLayout.open(o.base().layout())) {
        BaseBlobs.put(source, baseManifest, target);
      }
    }
    ImageMutator mutator = ImageMutator.load(target, DescriptorPath.of(start));
    applyConfig(mutator, o);
    String author = mutator.image().author();
    List<AddedLayer> added = new ArrayList<>();
    if (reuse != null) {
      BuildLayers.reuse(mutator, o, author, reuse, added);
    } else {
      BuildLayers.add(target, mutator, o, author, prepared, added);
    }
    if (added.isEmpty()) {
      History entry = o.history().entry("umoci build", author, o.timestamps(), true);
      if (entry != null) {
        mutator.addHistory(entry);
      }
    }
    DescriptorPath committed = mutator.commit();
    return new Built(committed.root(), added);
  }

  static OciLayout openOrCreate(Path path) throws IOException {
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return OciLayout.open(path);
    }
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      return OciLayout.create(path);
    } catch (InvalidLayoutException e) {
      if (Files.exists(path.resolve(OciLayout.LAYOUT_FILE), LinkOption.NOFOLLOW_LINKS)) {
        // A concurrent build (mvn -T) created it between the check and the create.
        return OciLayout.open(path);
      }
      throw e;
    }
  }

  /** Writes an empty image (no layers, no history) and returns its manifest descriptor. */
  private static Descriptor emptyImage(OciLayout layout, Options o) throws IOException {
    HostPlatform platform = o.platform() != null ? o.platform() : HostPlatform.current();
    Image image =
        new Image(
            Rfc3339.format(o.timestamps().now()),
            null,
            platform.architecture(),
            platform.os(),
            null,
            null,
            platform.variant(),
            ImageConfig.empty(),
            RootFs.layers(List.of()),
            List.of());
    Descriptor config = layout.putJson(MediaTypes.IMAGE_CONFIG, image);
    return layout.putJson(MediaTypes.IMAGE_MANIFEST, Manifest.of(config, List.of()));
  }

  private static boolean sameDirectory(Path a, Path b) throws IOException {
    return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
  }

  /** Applies the config changes and sets {@code created}. */
  private static void applyConfig(ImageMutator mutator, Options o) throws IOException {
    if (o.config() != null) {
      ConfigUpdate.applyTo(o.config(), mutator);
    }
    if (o.config() == null || o.config().created() == null) {
      Image image = mutator.image();
      mutator.setImage(
          new Image(
              Rfc3339.format(o.timestamps().now()),
              image.author(),
              image.architecture(),
              image.os(),
              image.osVersion(),
              image.osFeatures(),
              image.variant(),
              image.config(),
              image.rootfs(),
              image.history()));
    }
  }
}
