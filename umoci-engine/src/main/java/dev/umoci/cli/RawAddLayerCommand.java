package dev.umoci.cli;

import dev.umoci.ops.RawAddLayer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "add-layer",
    customSynopsis = "--image <image-path>[:<tag>] <new-layer.tar>",
    description = "add a layer archive verbatim to an image",
    footer = {
      "%nWhere \"<image-path>\" is the path to the OCI image, \"<tag>\" is the name of the",
      "tagged image to modify (if not specified, defaults to \"latest\"),",
      "\"<new-layer.tar>\" is the new layer to add (it must be uncompressed).",
      "",
      "At the moment, umoci-raw-add-layer(1) will only *append* layers to an image and",
      "only supports uncompressed archives."
    })
final class RawAddLayerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ImageOption image;
  @Mixin PlatformOption platform;
  @Mixin TagOption tag;
  @Mixin HistoryOption history;
  @Mixin CompressOption compress;

  @Parameters(index = "0", arity = "1", paramLabel = "<new-layer.tar>")
  Path layer;

  @Override
  public Integer call() throws Exception {
    RawAddLayer.run(
        RawAddLayer.Options.of(platform.apply(image.ref()), layer, Cli.timestamps(spec))
            .withNewTag(tag.tagOrNull())
            .withCompression(compress.choice())
            .withHistory(history.options()));
    Cli.logCommitted(image.ref(), tag.tagOrNull());
    return 0;
  }
}
