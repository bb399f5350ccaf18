package dev.umoci.ops;

import dev.umoci.layer.TreeLayerWriter;
import dev.umoci.mutate.ImageMutator;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.History;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
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

  /** Generates (or takes from the layer cache) the layers of {@code o} into {@code added}. */
  static void add(
      OciLayout target,
      ImageMutator mutator,
      BuildImage.Options o,
      String author,
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
    for (BuildImage.Layer layer : o.layers()) {
      if (layer.entries().isEmpty()) {
        continue;
      }
      History entry = o.history().entry(layer.createdBy(), author, o.timestamps(), false);
      String key =
          cache == null ? null : cache.key(layer, o.generate(), mutator.resolve(o.compression()));
      LayerCache.Recorded known = key == null ? null : cache.lookup(key, target);
      if (known != null) {
        LOG.debug(
            "layer {}: unchanged inputs, {} taken from the layer cache",
            layer.createdBy(),
            known.layer().digest());
        mutator.appendLayer(known.layer(), known.diffId(), entry);
        added.add(new BuildImage.AddedLayer(known.layer(), known.diffId(), layer.createdBy()));
        continue;
      }
      Descriptor written =
          mutator.addLayer(out -> writeLayer(out, layer, o), o.compression(), entry);
      Digest diffId = lastDiffId(mutator);
      if (key != null) {
        cache.store(key, written, diffId);
      }
      added.add(new BuildImage.AddedLayer(written, diffId, layer.createdBy()));
    }
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
