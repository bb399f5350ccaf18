package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.InputLimits;
import picocli.CommandLine.Option;

/**
 * Mixin: {@code --max-layer-size} and {@code --max-layer-entries}, the bounds on each layer's
 * uncompressed size and entry count (see {@link InputLimits}); unset flags keep the system property
 * or default.
 */
public final class LayerLimitsOption {
  @Option(
      names = "--max-layer-size",
      paramLabel = "<size>",
      description =
          "refuse a layer whose uncompressed tar stream exceeds this size (default 32G;"
              + " suffixes k, M, G, T)")
  String maxLayerSize;

  @Option(
      names = "--max-layer-entries",
      paramLabel = "<count>",
      description = "refuse a layer with more entries than this (default 4000000)")
  String maxLayerEntries;

  /** The limits of the system properties, with the flags given applied. */
  InputLimits limits() throws InvalidArgumentException {
    InputLimits limits = InputLimits.fromSystemProperties();
    if (maxLayerSize != null) {
      limits = limits.withMaxLayerBytes(InputLimits.parseSize(maxLayerSize, "--max-layer-size"));
    }
    if (maxLayerEntries != null) {
      limits =
          limits.withMaxLayerEntries(InputLimits.parseSize(maxLayerEntries, "--max-layer-entries"));
    }
    return limits;
  }
}
