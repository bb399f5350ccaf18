package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.mutate.ImageMutator;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.ReferenceNames;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.History;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code umoci raw add-layer}: appends an uncompressed tar verbatim as a new layer (compressed per
 * {@code compression}), with a {@code umoci raw add-layer} history entry whose author defaults to
 * the image author. The result is tagged {@code newTag}, or the source tag when null.
 */
public final class RawAddLayer {
  private RawAddLayer() {}

  public record Options(
      ImageRef image,
      Path layerTar,
      String newTag,
      CompressionChoice compression,
      HistoryOptions history,
      Timestamps timestamps) {

    /**
     * Options with umoci's defaults: the source tag is moved, compression is chosen as {@code
     * auto}, the default history entry is written.
     */
    public static Options of(ImageRef image, Path layerTar, Timestamps timestamps) {
      return new Options(
          image, layerTar, null, CompressionChoice.AUTO, HistoryOptions.defaults(), timestamps);
    }

    /** These options with the result tagged {@code tag} (null: the source tag). */
    public Options withNewTag(String tag) {
      return new Options(image, layerTar, tag, compression, history, timestamps);
    }

    public Options withCompression(CompressionChoice choice) {
      return new Options(image, layerTar, newTag, choice, history, timestamps);
    }

    public Options withHistory(HistoryOptions entry) {
      return new Options(image, layerTar, newTag, compression, entry, timestamps);
    }
  }

  /** Returns the new layer's descriptor. */
  public static Descriptor run(Options options) throws IOException {
    String tag = options.newTag() != null ? options.newTag() : options.image().tag();
    ReferenceNames.require(tag, "--tag");
    options.history().validate();
    if (Files.isDirectory(options.layerTar())) {
      throw new InvalidArgumentException("new layer archive is a directory: " + options.layerTar());
    }
    if (!Files.isRegularFile(options.layerTar())) {
      throw new InvalidArgumentException("new layer archive not found: " + options.layerTar());
    }
    try (OciLayout layout = OciLayout.open(options.image().layout())) {
      DescriptorPath from = options.image().resolveManifest(layout);
      ImageMutator mutator = ImageMutator.load(layout, from);
      History history =
          options
              .history()
              .entry("umoci raw add-layer", mutator.image().author(), options.timestamps(), false);
      Descriptor layer;
      try (InputStream in = Files.newInputStream(options.layerTar())) {
        layer = mutator.addLayer(in, options.compression(), history);
      }
      DescriptorPath committed = mutator.commit();
      References.update(layout, tag, committed.root());
      return layer;
    }
  }
}
