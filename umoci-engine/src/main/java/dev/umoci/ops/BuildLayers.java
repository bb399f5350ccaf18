package dev.umoci.ops;

import dev.umoci.layer.Compression;
import dev.umoci.layer.TreeLayerWriter;
import dev.umoci.mutate.ImageMutator;
import dev.umoci.mutate.LayerBlob;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.History;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Steps 3 and 4 of a {@link BuildImage}: the whiteout layer of the deletions, then one layer per
 * non-empty {@link BuildImage.Layer}, each with its history entry. A layer whose inputs the {@link
 * LayerCache} (when the build has one) knows, and whose blob the layout still holds, is appended as
 * it was written before instead of being generated again: the same bytes, see the cache's contract.
 */
final class BuildLayers {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BuildLayers.class);

  private BuildLayers() {}

  /**
   * Generates (or takes from {@code prepared}, when not null and made for this build, or from the
   * layer cache) the layers of {@code o} into {@code added}.
   */
  static void add(
      OciLayout target,
      ImageMutator mutator,
      BuildImage.Options o,
      String author,
      PreparedLayers prepared,
      List<BuildImage.AddedLayer> added)
      throws IOException {
    if (!o.deletions().isEmpty()) {
      String createdBy = "umoci build: delete";
      History entry = o.history().entry(createdBy, author, o.timestamps(), false);
      Descriptor layer =
          mutator.addLayer(
              out -> {
                try (TreeLayerWriter writer = new TreeLayerWriter(out, o.generate())) {
                  for (String path : o.deletions()) {
                    writer.addWhiteout(path);
                  }
                }
              },
              o.compression(),
              entry);
      added.add(new BuildImage.AddedLayer(layer, lastDiffId(mutator), createdBy));
    }
    LayerCache cache = o.layerCache() == null ? null : new LayerCache(o.layerCache());
    Compression compression = mutator.resolve(o.compression());
    for (BuildImage.Layer layer : o.layers()) {
      if (layer.entries().isEmpty()) {
        continue;
      }
      History entry = o.history().entry(layer.createdBy(), author, o.timestamps(), false);
      BuildImage.AddedLayer blob =
          prepared == null
              ? null
              : prepared.lookup(target.root(), layer, o.generate(), compression);
      if (blob == null) {
        blob = write(target, cache, layer, o, compression);
      }
      mutator.appendLayer(blob.layer(), blob.diffId(), entry);
      added.add(blob);
    }
  }

  /**
   * Writes the blobs of the non-empty layers of {@code o} into {@code target} with {@code
   * compression} (or takes them from the layer cache), for {@link #add} to append later.
   */
  static Map<BuildImage.Layer, BuildImage.AddedLayer> prepare(
      OciLayout target, BuildImage.Options o, Compression compression) throws IOException {
    LayerCache cache = o.layerCache() == null ? null : new LayerCache(o.layerCache());
    Map<BuildImage.Layer, BuildImage.AddedLayer> out = new HashMap<>();
    for (BuildImage.Layer layer : o.layers()) {
      if (!layer.entries().isEmpty() && !out.containsKey(layer)) {
        out.put(layer, write(target, cache, layer, o, compression));
      }
    }
    return out;
  }

  /**
   * One layer's blob: from the layer cache when it knows the inputs, else generated (and cached).
   */
  private static BuildImage.AddedLayer write(
      OciLayout target,
      LayerCache cache,
      BuildImage.Layer layer,
      BuildImage.Options o,
      Compression compression)
      throws IOException {
    String key = cache == null ? null : cache.key(layer, o.generate(), compression);
    LayerCache.Recorded known = key == null ? null : cache.lookup(key, target);
    if (known != null) {
      LOG.debug(
          "layer {}: unchanged inputs, {} taken from the layer cache",
          layer.createdBy(),
          known.layer().digest());
      return new BuildImage.AddedLayer(known.layer(), known.diffId(), layer.createdBy());
    }
    LayerBlob written =
        ImageMutator.writeLayer(target, out -> writeLayer(out, layer, o), compression);
    if (key != null) {
      cache.store(key, written.descriptor(), written.diffId());
    }
    return new BuildImage.AddedLayer(written.descriptor(), written.diffId(), layer.createdBy());
  }

  /** Appends the layers another image of the same build wrote, with this image's history. */
  static void reuse(
      ImageMutator mutator,
      BuildImage.Options o,
      String author,
      List<BuildImage.AddedLayer> reuse,
      List<BuildImage.AddedLayer> added)
      throws IOException {
    for (BuildImage.AddedLayer layer : reuse) {
      History entry = o.history().entry(layer.createdBy(), author, o.timestamps(), false);
      mutator.appendLayer(layer.layer(), layer.diffId(), entry);
      added.add(layer);
    }
  }

  private static Digest lastDiffId(ImageMutator mutator) {
    List<Digest> diffIds = mutator.image().rootfs().diffIds();
    return diffIds.get(diffIds.size() - 1);
  }

  /** One layer: parent directories of each target (once), then the entry itself. */
  private static void writeLayer(OutputStream out, BuildImage.Layer layer, BuildImage.Options o)
      throws IOException {
    try (TreeLayerWriter writer = new TreeLayerWriter(out, o.generate())) {
      Set<String> written = new HashSet<>();
      for (BuildImage.Entry entry : layer.entries()) {
        String target = BuildInputs.clean(entry.target());
        for (String parent : BuildInputs.parents(target)) {
          if (written.add(parent)) {
            writer.addDirectory(parent);
          }
        }
        writer.addTree(entry.source(), target);
        written.add(target);
      }
    }
  }
}
