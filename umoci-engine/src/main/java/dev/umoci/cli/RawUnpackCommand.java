package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.ops.RawUnpack;
import dev.umoci.sys.PathBytes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class RawUnpackCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "unpack";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .synopsis("--image <image-path>[:<tag>] <rootfs>")
          .description("unpacks a reference into a rootfs")
          .footer(
              "%nWhere \"<image-path>\" is the path to the OCI image, \"<tag>\" is the name of the",
              "tagged image to unpack (if not specified, defaults to \"latest\") and \"<rootfs>\"",
              "is the destination to unpack the image to.")
          .spec();

  private final ImageOption image = new ImageOption(spec);
  private final PlatformOption platform = new PlatformOption(spec);
  private final IdMapOption idMap = new IdMapOption(spec);
  private final LayerLimitsOption layerLimits = new LayerLimitsOption(spec);

  private final Value<Boolean> keepDirlinks =
      CommandModel.flag("--keep-dirlinks")
          .description("don't clobber underlying symlinks to directories")
          .on(spec);

  private final Value<String> rootfs =
      CommandModel.positional("0").label("<rootfs>").arity("1").on(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    RawUnpack.run(
        RawUnpack.Options.of(platform.apply(image.ref()), PathBytes.fromText(rootfs.value()))
            .withMapping(idMap.mapping())
            .withKeepDirlinks(keepDirlinks.value())
            .withLimits(layerLimits.limits()));
    return 0;
  }
}
