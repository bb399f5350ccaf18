package dev.umoci.ops;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.layer.Compression;
import dev.umoci.layer.ContentObserver;
import dev.umoci.layer.ExtractOptions;
import dev.umoci.layer.LayerBlobUnpacker;
import dev.umoci.layer.LayerReadAhead;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.layout.VerifiedInputStream;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts every layer of an image onto a rootfs, in order, as umoci's {@code UnpackRootfs}: the
 * rootfs gets the owner of container root and epoch times first; each blob is read verified (digest
 * and size) and its DiffID checked. Each blob goes to {@code layer.LayerBlobUnpacker}, which hands
 * its tar stream to {@code layer.LayerExtractor}.
 */
final class ImageUnpacker {
  private static final Logger LOG = LoggerFactory.getLogger(ImageUnpacker.class);

  private ImageUnpacker() {}

  /**
   * @param rootfs an existing (normally empty) directory
   * @param observer told the SHA-256 of every regular file written (null: none)
   * @param progress told the compressed bytes read from the layer blobs
   */
  static void unpack(
      OciLayout layout,
      UnpackSource source,
      Path rootfs,
      ExtractOptions options,
      ContentObserver observer,
      ProgressListener progress)
      throws IOException {
    source.requireLayers();
    LayerBlobUnpacker.prepareRootfs(rootfs, options.idMapping(), options.fs());
    List<Descriptor> layers = source.manifest().layers();
    List<Digest> diffIds = source.config().rootfs().diffIds();
    try (LayerPrefetch prefetch = new LayerPrefetch(layout, layers, progress)) {
      for (int i = 0; i < layers.size(); i++) {
        Descriptor layer = layers.get(i);
        progress.report(LOG, "unpack layer: {}", layer.digest());
        LayerReadAhead ahead = prefetch.start(i);
        try {
          LayerBlobUnpacker.unpackLayer(ahead, diffIds.get(i), rootfs, options, observer);
        } catch (IOException | RuntimeException e) {
          DigestMismatchException corrupt = corruptBlob(layout, layer, e);
          if (corrupt != null) {
            throw corrupt;
          }
          throw e;
        } finally {
          prefetch.finish(i);
        }
      }
    }
  }

  /**
   * Starts reading each layer as soon as the previous one has been decompressed, so the reading
   * thread goes on to the next layer while the extraction finishes the current one (within the
   * memory of one shared buffer pool). Layers are taken in order and each finished after its
   * extraction; closing stops whatever was started and not yet finished, and closes its blob.
   */
  private static final class LayerPrefetch implements AutoCloseable {
    private final OciLayout layout;
    private final List<Descriptor> layers;
    private final BlockingQueue<byte[]> pool = LayerReadAhead.newPool();
    private final LayerReadAhead[] started;
    private final ProgressListener progress;
    private boolean closed;

    LayerPrefetch(OciLayout layout, List<Descriptor> layers, ProgressListener progress) {
      this.layout = layout;
      this.layers = layers;
      this.progress = progress;
      this.started = new LayerReadAhead[layers.size()];
    }

    /** Layer {@code i}, reading ahead: started now unless its predecessor already started it. */
    synchronized LayerReadAhead start(int i) throws IOException {
      if (started[i] == null) {
        Descriptor layer = layers.get(i);
        Compression compression = Compression.ofMediaType(layer.mediaType());
        started[i] =
            new LayerReadAhead(
                () -> ProgressStreams.counting(layout.openBlob(layer), progress),
                compression,
                layer.digest(),
                pool,
                () -> startNext(i + 1));
      }
      return started[i];
    }

    /** Called on the reading thread of layer {@code i - 1} once it has read its layer. */
    private synchronized void startNext(int i) {
      if (closed || i >= layers.size() || started[i] != null) {
        return;
      }
      try {
        start(i);
      } catch (IOException | RuntimeException e) {
        // Not started: taking the layer in order will meet the same error and report it.
      }
    }

    /** Closes the blob of layer {@code i}, taken and extracted, and forgets the layer. */
    synchronized void finish(int i) throws IOException {
      LayerReadAhead layer = started[i];
      started[i] = null;
      if (layer != null && layer.blob() != null) {
        layer.blob().close();
      }
    }

    @Override
    public void close() throws IOException {
      LayerReadAhead[] all;
      synchronized (this) {
        closed = true;
        all = started.clone();
      }
      IOException failure = null;
      for (LayerReadAhead layer : all) {
        if (layer == null) {
          continue;
        }
        try {
          layer.close();
          if (layer.blob() != null) {
            layer.blob().close();
          }
        } catch (IOException e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  /**
   * A corrupt blob often breaks decompression or the tar format before its digest can be checked at
   * the end of the stream. When extraction fails, the blob is read again, verified: if its digest
   * or size is wrong, that error is returned (it names the blob), with the original failure
   * attached as suppressed. Null when the blob is intact or the failure already is a mismatch.
   */
  private static DigestMismatchException corruptBlob(
      OciLayout layout, Descriptor layer, Exception failure) {
    if (failure instanceof DigestMismatchException) {
      return null;
    }
    try (VerifiedInputStream again = layout.openBlob(layer)) {
      again.readToEnd();
    } catch (DigestMismatchException corrupt) {
      corrupt.addSuppressed(failure);
      return corrupt;
    } catch (IOException other) {
      failure.addSuppressed(other);
    }
    return null;
  }
}
