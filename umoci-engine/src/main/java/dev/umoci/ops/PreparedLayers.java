package dev.umoci.ops;

import dev.umoci.layer.Compression;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.sys.TreeRemover;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The application layers of a {@link BuildImage} written into the target layout before the base
 * image is known ({@link BuildImage#prepare}), so that writing them overlaps the base's pull or
 * registry round trip. A layer's bytes depend on the base only through the compression {@code auto}
 * picks; they were written with {@link #compression()} (the fixed choice, or gzip for {@code
 * auto}), and {@link BuildImage#run(BuildImage.Options, PreparedLayers)} uses them only when the
 * build resolves to the same compression, the same layout and the same generation options, and
 * writes the layers again otherwise: the image is the one a build without preparation writes.
 *
 * <p>Until an image references them the blobs are garbage of the layout: a build that does not use
 * them, or fails, leaves them to the next garbage collection, or to {@link #discard()}.
 */
final class PreparedLayers {
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
