package dev.umoci.ops;

import dev.umoci.layer.Compression;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.sys.TreeRemover;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The application layers of a {@link BuildImage} written into the target layout before the base
 * image is known ({@link #write}), so that writing them overlaps the base's pull or registry round
 * trip. A layer's bytes depend on the base only through the compression {@code auto} picks; they
 * were written with {@link #compression()} (the fixed choice, or gzip for {@code auto}), and {@link
 * BuildImage#run(BuildImage.Options, PreparedLayers)} uses them only when the build resolves to the
 * same compression, the same layout and the same generation options, and writes the layers again
 * otherwise: the image is the one a build without preparation writes.
 *
 * <p>Until an image references them the blobs are garbage of the layout: a build that does not use
 * them, or fails, leaves them to the next garbage collection, or to {@link #discard()}.
 */
final class PreparedLayers {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(PreparedLayers.class);

  private final Path layout;
  private final GenerateOptions generate;
  private final Compression compression;
  private final Map<BuildImage.Layer, BuildImage.AddedLayer> layers;
  private final boolean createdLayout;

  PreparedLayers(
      Path layout,
      GenerateOptions generate,
      Compression compression,
      Map<BuildImage.Layer, BuildImage.AddedLayer> layers,
      boolean createdLayout) {
    this.layout = layout;
    this.generate = generate;
    this.compression = compression;
    this.layers = Map.copyOf(layers);
    this.createdLayout = createdLayout;
  }

  /**
   * Writes the blobs of the layers of {@code o} into its target layout (created when missing)
   * before the base image is known: with the fixed compression of {@code o}, or gzip for {@code
   * auto}. Checks {@code o} as {@link BuildImage#run(BuildImage.Options)} does first. The layout's
   * index is not touched.
   */
  static PreparedLayers write(BuildImage.Options o) throws IOException {
    BuildInputs.validate(o);
    Path path = o.target().layout();
    boolean created = !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    Compression compression = o.compression().fixed().orElse(Compression.GZIP);
    try (OciLayout target = BuildImage.openOrCreate(path)) {
      return new PreparedLayers(
          target.root(),
          o.generate(),
          compression,
          BuildLayers.prepare(target, o, compression),
          created);
    }
  }

  /** {@link BuildImage#runPrepared}. */
  static BuildImage.Result build(BuildImage.Options common, BuildImage.PendingOptions pending)
      throws IOException {
    long start = System.nanoTime();
    PreparedLayers prepared = write(common);
    long preparedAt = System.nanoTime();
    BuildImage.Options o;
    try {
      o = pending.get();
      BuildInputs.validate(o); // bad complete options leave nothing either
    } catch (IOException | RuntimeException | Error e) {
      try {
        prepared.discard();
      } catch (IOException | RuntimeException cleaning) {
        e.addSuppressed(cleaning);
      }
      throw e;
    }
    long resolvedAt = System.nanoTime();
    BuildImage.Result result = BuildImage.run(o, prepared);
    LOG.debug(
        "build: {} ms preparing {} layer(s), {} ms waiting for the base, {} ms building",
        (preparedAt - start) / 1_000_000,
        prepared.size(),
        (resolvedAt - preparedAt) / 1_000_000,
        (System.nanoTime() - resolvedAt) / 1_000_000);
    return result;
  }

  /** The compression the layers were written with. */
  Compression compression() {
    return compression;
  }

  /** How many layers were prepared (empty layers have none). */
  int size() {
    return layers.size();
  }

  /**
   * The prepared blob of {@code layer} when it was written into {@code target} with {@code
   * generate} and {@code resolved} compression, else null.
   */
  BuildImage.AddedLayer lookup(
      Path target, BuildImage.Layer layer, GenerateOptions generate, Compression resolved)
      throws IOException {
    if (resolved != compression
        || !this.generate.equals(generate)
        || !Files.isSameFile(layout, target)) {
      return null;
    }
    return layers.get(layer);
  }

  /**
   * Removes what preparing wrote when the build is abandoned (the base could not be had): the whole
   * layout when preparing created it, else the blobs no tag of the layout reaches (a garbage
   * collection, which never touches a referenced blob).
   */
  void discard() throws IOException {
    if (createdLayout) {
      TreeRemover.direct().remove(layout);
    } else {
      GarbageCollect.run(new GarbageCollect.Options(layout));
    }
  }
}
