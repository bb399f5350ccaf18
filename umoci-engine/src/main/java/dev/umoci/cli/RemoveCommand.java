package dev.umoci.cli;

import dev.umoci.ops.RemoveTag;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "remove",
    aliases = "rm",
    customSynopsis = "--image <image-path>[:<tag>]",
    description = "removes a tag from an OCI image",
    footer = {
      "%nWhere \"<image-path>\" is the path to the OCI image, \"<tag>\" is the name of the",
      "tag to remove."
    })
final class RemoveCommand implements Callable<Integer> {
  @Mixin ImageOption image;

  @Override
  public Integer call() throws Exception {
    RemoveTag.run(new RemoveTag.Options(image.ref()));
    return 0;
  }
}
