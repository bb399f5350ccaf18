package dev.umoci.bundle;

import dev.umoci.errors.InvalidBundleException;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.oci.spec.GoJson;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.runtime.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes {@code config.json}. The bytes are those umoci writes ({@code json.Encoder} with
 * {@code SetIndent("", "\t")} and a trailing newline); writes replace the file atomically.
 */
public final class RuntimeConfigFile {
  private RuntimeConfigFile() {}

  /** The exact bytes umoci would write for {@code spec}. */
  public static byte[] toBytes(Spec spec) {
    return GoJson.encodeIndented(spec);
  }

  /** Writes {@code spec} to {@code path} (temporary file + rename, mode 0644). */
  public static void write(Path path, Spec spec) throws IOException {
    AtomicFiles.write(path, toBytes(spec));
  }

  /**
   * Reads a config.json; a missing or malformed file is an {@link InvalidBundleException} naming
   * it. Members this model does not know are dropped.
   */
  public static Spec read(Path path) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new InvalidBundleException(path + " does not exist", e);
    }
    try {
      return Json.parse(bytes, Spec.class, path.toString());
    } catch (InvalidImageException e) {
      throw new InvalidBundleException(e.getMessage(), e);
    }
  }
}
