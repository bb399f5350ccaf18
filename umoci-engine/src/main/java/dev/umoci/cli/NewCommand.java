package dev.umoci.cli;

import dev.umoci.ops.NewImage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class NewCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "new";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .synopsis("--image <image-path>:<new-tag>")
          .description("creates a blank tagged OCI image")
          .footer(
              "%nWhere \"<image-path>\" is the path to the OCI image, and \"<tag>\" is the name of the",
              "tag for the empty manifest. The new image has no layers and a config with the",
              "host platform and the creation time (SOURCE_DATE_EPOCH when set).")
          .spec();

  private final ImageOption image = new ImageOption(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    NewImage.run(new NewImage.Options(image.ref(), Cli.timestamps(spec)));
    Cli.logCommitted(image.ref(), null);
    return 0;
  }
}
