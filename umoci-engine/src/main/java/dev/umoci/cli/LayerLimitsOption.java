package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.InputLimits;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Option group: {@code --max-layer-size} and {@code --max-layer-entries}, the bounds on each
 * layer's uncompressed size and entry count (see {@link InputLimits}); unset flags keep the system
 * property or default.
 */
public final class LayerLimitsOption {
  private final CommandSpec model = CommandModel.group(this);

  private final Value<String> maxLayerSize =
      CommandModel.option("--max-layer-size")
          .label("<size>")
          .description(
              "refuse a layer whose uncompressed tar stream exceeds this size (default 32G;"
                  + " suffixes k, M, G, T)")
          .on(model);

  private final Value<String> maxLayerEntries =
      CommandModel.option("--max-layer-entries")
          .label("<count>")
          .description("refuse a layer with more entries than this (default 4000000)")
          .on(model);

  /** Adds the layer limit flags to {@code command}. */
  LayerLimitsOption(CommandSpec command) {
    CommandModel.addGroup(command, model);
  }

  /** The limits of the system properties, with the flags given applied. */
  InputLimits limits() throws InvalidArgumentException {
    InputLimits limits = InputLimits.fromSystemProperties();
    if (maxLayerSize.value() != null) {
      limits =
          limits.withMaxLayerBytes(InputLimits.parseSize(maxLayerSize.value(), "--max-layer-size"));
    }
    if (maxLayerEntries.value() != null) {
      limits =
          limits.withMaxLayerEntries(
              InputLimits.parseSize(maxLayerEntries.value(), "--max-layer-entries"));
    }
    return limits;
  }
}
