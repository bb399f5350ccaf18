package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.UmociException;
import dev.umoci.fs.IdMapping;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.ops.ImageRef;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options {@code unpack} and {@code raw unpack} share, as umoci's two commands do: {@code
 * --image} with {@code --platform}, the id maps, the layer limits and {@code --keep-dirlinks}. They
 * are added to the command's model in that order, each as the command would add it itself, so the
 * model is the one either command had with its own declarations ({@code CliGoldenTest}).
 */
final class UnpackOptions {
  private final ImageOption image;
  private final PlatformOption platform;
  private final IdMapOption idMap;
  private final LayerLimitsOption layerLimits;
  private final Value<Boolean> keepDirlinks;

  /** Adds the options to {@code command}; its positional parameters come after them. */
  UnpackOptions(CommandSpec command) {
    image = new ImageOption(command);
    platform = new PlatformOption(command);
    idMap = new IdMapOption(command);
    layerLimits = new LayerLimitsOption(command);
    keepDirlinks =
        CommandModel.flag("--keep-dirlinks")
            .description("don't clobber underlying symlinks to directories")
            .on(command);
  }

  /** The image to unpack, with the platform chosen by {@code --platform}. */
  ImageRef image() throws UmociException {
    return platform.apply(image.ref());
  }

  IdMapping mapping() throws UmociException {
    return idMap.mapping();
  }

  boolean keepDirlinks() {
    return keepDirlinks.value();
  }

  InputLimits limits() throws UmociException {
    return layerLimits.limits();
  }
}
