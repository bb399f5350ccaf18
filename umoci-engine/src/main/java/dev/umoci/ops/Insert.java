package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.fs.IdMapping;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.layer.TreeLayerWriter;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.mutate.ImageMutator;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.ReferenceNames;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * {@code umoci insert}: appends one layer holding {@code source} (a file or a directory tree) at
 * {@code target}; with {@code opaque} the layer first hides everything lower layers have under
 * {@code target}; with {@code whiteout} the layer only deletes {@code target}. The history entry
 * says {@code umoci insert} and has no default author (as umoci). Times newer than
 * SOURCE_DATE_EPOCH are clamped to it. The result is tagged {@code newTag}, or the source tag when
 * null. Nothing in the layout changes when the layer cannot be generated.
 */
public final class Insert {
  private Insert() {}

  /**
   * @param source null with {@code whiteout}
   * @param target absolute path inside the image
   * @param newTag null updates the image's own tag
   */
  public record Options(
      ImageRef image,
      Path source,
      String target,
      String newTag,
      boolean opaque,
      boolean whiteout,
      IdMapping mapping,
      CompressionChoice compression,
      HistoryOptions history,
      Timestamps timestamps) {

    /**
     * Insert {@code source} (file or tree; null with {@link #withWhiteout}) at {@code target};
     * defaults for everything else.
     */
    public static Options copy(ImageRef image, Path source, String target, Timestamps timestamps) {
      return new Options(
          image,
          source,
          target,
          null,
          false,
          false,
          IdMapping.identity(),
          CompressionChoice.AUTO,
          HistoryOptions.defaults(),
          timestamps);
    }

    /** These options tagging the result {@code tag} instead of the source image's tag. */
    public Options withNewTag(String tag) {
      return new Options(
          image, source, target, tag, opaque, whiteout, mapping, compression, history, timestamps);
    }

    /** These options first hiding what lower layers hold under {@code target} ({@code true}). */
    public Options withOpaque(boolean hide) {
      return new Options(
          image, source, target, newTag, hide, whiteout, mapping, compression, history, timestamps);
    }

    /** These options deleting {@code target} instead of inserting ({@code true}). */
    public Options withWhiteout(boolean delete) {
      return new Options(
          image, source, target, newTag, opaque, delete, mapping, compression, history, timestamps);
    }

    public Options withMapping(IdMapping ids) {
      return new Options(
          image, source, target, newTag, opaque, whiteout, ids, compression, history, timestamps);
    }

    public Options withCompression(CompressionChoice choice) {
      return new Options(
          image, source, target, newTag, opaque, whiteout, mapping, choice, history, timestamps);
    }

    public Options withHistory(HistoryOptions entry) {
      return new Options(
          image, source, target, newTag, opaque, whiteout, mapping, compression, entry, timestamps);
    }
  }

  /** Returns the new layer's descriptor. */
  public static Descriptor run(Options options) throws IOException {
    return run(options, ProgressListener.NONE);
  }

  /**
   * Inserts, telling {@code progress} about the step {@code insert} while the layer is written: the
   * uncompressed tar bytes (no total) and the entries written.
   */
  public static Descriptor run(Options options, ProgressListener progress) throws IOException {
    String tag = options.newTag() != null ? options.newTag() : options.image().tag();
    ReferenceNames.require(tag, "--tag");
    options.history().validate();
    if (options.target() == null || options.target().isEmpty()) {
      throw new InvalidArgumentException("insert: target path must not be empty");
    }
    if (options.whiteout()) {
      if (options.source() != null) {
        throw new InvalidArgumentException("insert --whiteout takes only a target, not a source");
      }
    } else {
      if (options.source() == null) {
        throw new InvalidArgumentException("insert: source path is required");
      }
      if (!Files.exists(options.source(), LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidArgumentException("insert: source does not exist: " + options.source());
      }
    }
    GenerateOptions generate =
        GenerateOptions.of(options.mapping(), options.timestamps().sourceDateEpoch().orElse(null));
    try (OciLayout layout = OciLayout.open(options.image().layout())) {
      DescriptorPath from = options.image().resolveManifest(layout);
      ImageMutator mutator = ImageMutator.load(layout, from);
      History history = options.history().entry("umoci insert", null, options.timestamps(), false);
      progress.started("insert", -1);
      Descriptor layer;
      try {
        layer =
            mutator.addLayer(
                out -> {
                  try (TreeLayerWriter writer =
                      new TreeLayerWriter(
                          ProgressStreams.counting(out, progress),
                          generate,
                          () -> progress.advanced(0, 1))) {
                    if (options.whiteout()) {
                      writer.addWhiteout(options.target());
                    } else {
                      if (options.opaque()) {
                        writer.addOpaqueWhiteout(options.target());
                      }
                      writer.addTree(options.source(), options.target());
                    }
                  }
                },
                options.compression(),
                history);
      } finally {
        progress.finished();
      }
      DescriptorPath committed = mutator.commit();
      References.update(layout, tag, committed.root());
      return layer;
    }
  }
}
