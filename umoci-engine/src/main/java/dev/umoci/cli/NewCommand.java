package dev.umoci.cli;

import dev.umoci.ops.NewImage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "new",
    customSynopsis = "--image <image-path>:<new-tag>",
    description = "creates a blank tagged OCI image",
    footer = {
      "%nWhere \"<image-path>\" is the path to the OCI image, and \"<tag>\" is the name of the",
      "tag for the empty manifest. The new image has no layers and a config with the",
      "host platform and the creation time (SOURCE_DATE_EPOCH when set)."
    })
final class NewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ImageOption image;

  @Override
  public Integer call() throws Exception {
    NewImage.run(new NewImage.Options(image.ref(), Cli.timestamps(spec)));
    Cli.logCommitted(image.ref(), null);
    return 0;
  }
}
