package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.mutate.CompressionChoice;
import picocli.CommandLine.Option;

/** Mixin: {@code --compress gzip|zstd|none|auto} for commands that write layers. */
public final class CompressOption {
  @Option(
      names = "--compress",
      paramLabel = "<algorithm>",
      defaultValue = "auto",
      description = "compression algorithm for newly created layer blobs")
  String compress;

  /** The parsed choice. */
  public CompressionChoice choice() throws InvalidArgumentException {
    try {
      return CompressionChoice.parse(compress);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(
          "invalid --compress: unknown layer compression type \"" + compress + "\"");
    }
  }
}
