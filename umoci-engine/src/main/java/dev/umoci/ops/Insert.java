package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.TaskFailures;
import dev.umoci.fs.IdMapping;
import dev.umoci.layer.Compression;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.layer.TreeLayerWriter;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.mutate.ImageMutator;
import dev.umoci.mutate.LayerBlob;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.ReferenceNames;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.GoJson;
import dev.umoci.oci.spec.History;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

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
    History history = options.history().entry("umoci insert", null, options.timestamps(), false);
    try (OciLayout layout = OciLayout.open(options.image().layout())) {
      ImageMutator mutator;
      LayerBlob layer;
      progress.started("insert", -1);
      try {
        // Every path out of this block waits for the load: the layout must not close under it.
        ImageLoad image = ImageLoad.start(layout, options.image());
        Compression guess = options.compression().fixed().orElse(Compression.GZIP);
        try {
          layer =
              ImageMutator.writeLayer(
                  layout,
                  out -> {
                    writeLayer(out, options, generate, progress);
                    if (image.await().resolve(options.compression()) != guess) {
                      throw new WrongGuess();
                    }
                  },
                  guess);
        } catch (WrongGuess e) {
          Compression actual = image.await().resolve(options.compression());
          layer =
              ImageMutator.writeLayer(
                  layout, out -> writeLayer(out, options, generate, progress), actual);
        } catch (IOException | RuntimeException | Error e) {
          image.awaitFailure(e);
          throw e;
        }
        mutator = image.await();
      } finally {
        progress.finished();
      }
      mutator.appendLayer(layer.descriptor(), layer.diffId(), history);
      DescriptorPath committed = mutator.commit();
      References.update(layout, tag, committed.root());
      return layer.descriptor();
    }
  }

  /**
   * Writes the plain tar of the layer: the whiteout, or the optional opaque marker and the tree.
   */
  private static void writeLayer(
      OutputStream out, Options options, GenerateOptions generate, ProgressListener progress)
      throws IOException {
    try (TreeLayerWriter writer =
        new TreeLayerWriter(
            ProgressStreams.counting(out, progress), generate, () -> progress.advanced(0, 1))) {
      if (options.whiteout()) {
        writer.addWhiteout(options.target());
      } else {
        if (options.opaque()) {
          writer.addOpaqueWhiteout(options.target());
        }
        writer.addTree(options.source(), options.target());
      }
    }
  }

  /** The image's {@code auto} compression is not the one the layer was written with. */
  private static final class WrongGuess extends RuntimeException {
    WrongGuess() {
      super("layer compression guessed wrong", null, false, false);
    }
  }

  /**
   * Resolves and loads the image on a thread of its own, so that JSON parsing (and the set-up of
   * the encoders the commit uses) overlaps the layer writing: the layer depends on the image only
   * through the compression {@code auto} picks, which the caller guesses and checks before the blob
   * is stored.
   */
  private static final class ImageLoad {
    private final FutureTask<ImageMutator> task;

    private ImageLoad(FutureTask<ImageMutator> task) {
      this.task = task;
    }

    static ImageLoad start(OciLayout layout, ImageRef ref) {
      FutureTask<ImageMutator> task =
          new FutureTask<>(
              () -> {
                ImageMutator mutator = ImageMutator.load(layout, ref.resolveManifest(layout));
                // Jackson builds its serializers by reflection on first use; build the ones the
                // commit needs here, off the thread that writes the layer (output discarded).
                GoJson.encode(mutator.image());
                GoJson.encode(mutator.manifest());
                return mutator;
              });
      Thread thread = new Thread(task, "umoci-insert-image");
      thread.setDaemon(true);
      thread.start();
      return new ImageLoad(task);
    }

    /** The loaded image, or the load's own failure. */
    ImageMutator await() throws IOException {
      try {
        return task.get();
      } catch (InterruptedException e) {
        task.cancel(true);
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while loading the image");
      } catch (ExecutionException e) {
        throw TaskFailures.cause(e, "loading the image");
      }
    }

    /**
     * Called when writing the layer failed with {@code writing}: waits for the load (the layout
     * must not close under it) and throws its failure instead, if any, as the image is what a
     * sequential insert would have rejected first.
     */
    void awaitFailure(Throwable writing) throws IOException {
      try {
        await();
      } catch (IOException | RuntimeException | Error loading) {
        if (loading != writing) {
          loading.addSuppressed(writing);
        }
        throw loading;
      }
    }
  }
}
