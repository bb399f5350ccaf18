package dev.umoci.oci.layout;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.oci.spec.GoJson;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Json;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A layout's {@code index.json}: parsed and checked (schema version 2) when read, encoded as umoci
 * encodes it, replaced atomically when written. Locking is the caller's ({@link OciLayout} writes
 * under its write lock).
 */
final class IndexFile {
  private IndexFile() {}

  /** Reads and parses {@code index.json} of the layout at {@code root}. */
  static Index read(Path root) throws IOException {
    Path file = root.resolve(OciLayout.INDEX_FILE);
    byte[] bytes;
    try {
      bytes = LayoutDirectory.readJsonFile(file);
    } catch (NoSuchFileException e) {
      throw new InvalidLayoutException(
          root + ": not an OCI image layout: missing " + OciLayout.INDEX_FILE);
    }
    try {
      Index index = Json.parse(bytes, Index.class, file.toString());
      if (index.schemaVersion() != 2) {
        throw new InvalidLayoutException(
            file + ": unsupported schemaVersion " + index.schemaVersion());
      }
      return index;
    } catch (InvalidImageException e) {
      throw new InvalidLayoutException(e.getMessage(), e);
    }
  }

  /**
   * Replaces {@code index.json} of the layout at {@code root} with {@code index} (see {@link
   * AtomicFile}), the temporary made in {@code tempDir} and prepared by {@code prepare}.
   */
  static void write(Path root, Index index, Path tempDir, AtomicFile.Prepare prepare)
      throws IOException {
    AtomicFile.replace(
        root.resolve(OciLayout.INDEX_FILE), bytes(index), tempDir, "index-", prepare);
  }

  /** {@code index.json} as umoci's {@code json.NewEncoder(fh).Encode(index)} writes it. */
  static byte[] bytes(Index index) {
    return GoJson.encode(index);
  }
}
