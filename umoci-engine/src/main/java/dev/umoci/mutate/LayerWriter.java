package dev.umoci.mutate;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Produces the plain (uncompressed) tar stream of a new layer by writing it into the stream {@link
 * ImageMutator#addLayer(LayerWriter, CompressionChoice, dev.umoci.oci.spec.History)} hands over.
 * The stream hashes (DiffID), compresses and stores the bytes as they arrive, so a layer is never
 * held in memory. The writer must not close the stream.
 */
@FunctionalInterface
public interface LayerWriter {
  void writeTo(OutputStream plainTar) throws IOException;
}
