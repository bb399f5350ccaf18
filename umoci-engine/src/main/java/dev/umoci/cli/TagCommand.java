package dev.umoci.cli;

import dev.umoci.ops.TagImage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "tag",
    customSynopsis = "--image <image-path>[:<tag>] <new-tag>",
    description = "creates a new tag in an OCI image",
    footer = {
      "%nWhere \"<image-path>\" is the path to the OCI image, \"<tag>\" is the old name of the",
      "tag and \"<new-tag>\" is the new name of the tag (an existing tag is clobbered)."
    })
final class TagCommand implements Callable<Integer> {
  @Mixin ImageOption image;

  @Parameters(index = "0", arity = "1", paramLabel = "<new-tag>", description = "the new tag")
  String newTag;

  @Override
  public Integer call() throws Exception {
    TagImage.run(new TagImage.Options(image.ref(), newTag));
    return 0;
  }
}
