package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.ops.TagImage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class TagCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "tag";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .synopsis("--image <image-path>[:<tag>] <new-tag>")
          .description("creates a new tag in an OCI image")
          .footer(
              "%nWhere \"<image-path>\" is the path to the OCI image, \"<tag>\" is the old name of the",
              "tag and \"<new-tag>\" is the new name of the tag (an existing tag is clobbered).")
          .spec();

  private final ImageOption image = new ImageOption(spec);

  private final Value<String> newTag =
      CommandModel.positional("0")
          .label("<new-tag>")
          .arity("1")
          .description("the new tag")
          .on(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    TagImage.run(new TagImage.Options(image.ref(), newTag.value()));
    return 0;
  }
}
