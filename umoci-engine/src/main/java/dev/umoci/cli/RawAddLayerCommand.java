package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.ops.RawAddLayer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class RawAddLayerCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "add-layer";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .synopsis("--image <image-path>[:<tag>] <new-layer.tar>")
          .description("add a layer archive verbatim to an image")
          .footer(
              "%nWhere \"<image-path>\" is the path to the OCI image, \"<tag>\" is the name of the",
              "tagged image to modify (if not specified, defaults to \"latest\"),",
              "\"<new-layer.tar>\" is the new layer to add (it must be uncompressed).",
              "",
              "At the moment, umoci-raw-add-layer(1) will only *append* layers to an image and",
              "only supports uncompressed archives.")
          .spec();

  private final ImageOption image = new ImageOption(spec);
  private final PlatformOption platform = new PlatformOption(spec);
  private final TagOption tag = new TagOption(spec);
  private final HistoryOption history = new HistoryOption(spec);
  private final CompressOption compress = new CompressOption(spec);

  private final Value<Path> layer =
      CommandModel.positionalPath("0").label("<new-layer.tar>").arity("1").on(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    RawAddLayer.run(
        RawAddLayer.Options.of(platform.apply(image.ref()), layer.value(), Cli.timestamps(spec))
            .withNewTag(tag.tagOrNull())
            .withCompression(compress.choice())
            .withHistory(history.options()));
    Cli.logCommitted(image.ref(), tag.tagOrNull());
    return 0;
  }
}
