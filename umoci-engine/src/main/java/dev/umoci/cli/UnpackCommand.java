package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.ops.Unpack;
import dev.umoci.sys.PathBytes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class UnpackCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "unpack";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .synopsis("--image <image-path>[:<tag>] <bundle>")
          .description("unpacks a reference into an OCI runtime bundle")
          .footer(
              "%nWhere \"<image-path>\" is the path to the OCI image, \"<tag>\" is the name of the",
              "tagged image to unpack (if not specified, defaults to \"latest\") and \"<bundle>\"",
              "is the destination to unpack the image to.",
              "",
              "It should be noted that this is not the same as oci-create-runtime-bundle,",
              "because this command also will create an mtree specification to allow for layer",
              "creation with umoci-repack(1).")
          .spec();

  private final UnpackOptions options = new UnpackOptions(spec);

  private final Value<String> bundle =
      CommandModel.positional("0").label("<bundle>").arity("1").on(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    Unpack.run(
        Unpack.Options.of(options.image(), PathBytes.fromText(bundle.value()))
            .withMapping(options.mapping())
            .withKeepDirlinks(options.keepDirlinks())
            .withLimits(options.limits()),
        Cli.progress(spec));
    return 0;
  }
}
