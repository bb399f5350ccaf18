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

  private final UnpackOptions options = new UnpackOptions(spec);

  private final Value<String> rootfs =
      CommandModel.positional("0").label("<rootfs>").arity("1").on(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    RawUnpack.run(
        RawUnpack.Options.of(options.image(), PathBytes.fromText(rootfs.value()))
            .withMapping(options.mapping())
            .withKeepDirlinks(options.keepDirlinks())
            .withLimits(options.limits()));
    return 0;
  }
}
