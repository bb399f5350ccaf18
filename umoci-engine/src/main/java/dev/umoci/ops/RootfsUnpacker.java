package dev.umoci.ops;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.layer.Compression;
import dev.umoci.layer.ContentObserver;
import dev.umoci.layer.ExtractOptions;
import dev.umoci.layer.LayerUnpacker;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.layout.VerifiedInputStream;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts every layer of an image onto a rootfs, in order, as umoci's {@code UnpackRootfs}: the
 * rootfs gets the owner of container root and epoch times first; each blob is read verified (digest
 * and size) and its DiffID checked.
 */
final class RootfsUnpacker {
  private static final Logger LOG = LoggerFactory.getLogger(RootfsUnpacker.class);

  private RootfsUnpacker() {}

  /**
   * @param rootfs an existing (normally empty) directory
   * @param observer told the SHA-256 of every regular file written (null: none)
   */
  static void unpack(
      OciLayout layout,
      UnpackSource source,
      Path rootfs,
      ExtractOptions options,
      ContentObserver observer)
      throws IOException {
    source.requireLayers();
    LayerUnpacker.prepareRootfs(rootfs, options.idMapping(), options.fs());
    List<Descriptor> layers = source.manifest().layers();
    List<Digest> diffIds = source.config().rootfs().diffIds();
    for (int i = 0; i < layers.size(); i++) {
      Descriptor layer = layers.get(i);
      LOG.info("unpack layer: {}", layer.digest());
      Compression compression = Compression.ofMediaType(layer.mediaType());
      try (VerifiedInputStream blob = layout.openBlob(layer)) {
        LayerUnpacker.unpackLayer(
            blob, compression, layer.digest(), diffIds.get(i), rootfs, options, observer);
      } catch (IOException | RuntimeException e) {
        DigestMismatchException corrupt = corruptBlob(layout, layer, e);
        if (corrupt != null) {
          throw corrupt;
        }
        throw e;
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
