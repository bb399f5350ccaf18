package dev.umoci.cli;

import dev.umoci.ops.RemoveTag;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class RemoveCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "remove";
  static final String ALIAS = "rm";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .aliases(ALIAS)
          .synopsis("--image <image-path>[:<tag>]")
          .description("removes a tag from an OCI image")
          .footer(
              "%nWhere \"<image-path>\" is the path to the OCI image, \"<tag>\" is the name of the",
              "tag to remove.")
          .spec();

  private final ImageOption image = new ImageOption(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    RemoveTag.run(new RemoveTag.Options(image.ref()));
    return 0;
  }
}
