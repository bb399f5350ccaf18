package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.ops.RawRuntimeConfig;
import dev.umoci.sys.PathBytes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class RawRuntimeConfigCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "runtime-config";
  static final String ALIAS = "config";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .aliases(ALIAS)
          .synopsis("--image <image-path>[:<tag>] [--rootfs <rootfs>] <config.json>")
          .description("generates an OCI runtime configuration for an image")
          .footer(
              "%nWhere \"<image-path>\" is the path to the OCI image, \"<tag>\" is the name of the",
              "tagged image to unpack (if not specified, defaults to \"latest\"), \"<rootfs>\" is",
              "a rootfs to use as a supplementary \"source of truth\" for certain generation",
              "operations and \"<config.json>\" is the destination to write the runtime",
              "configuration to.",
              "",
              "Note that the results of this may not agree with umoci-unpack(1) because the",
              "--rootfs flag affects how certain properties are interpreted.")
          .spec();

  private final ImageOption image = new ImageOption(spec);
  private final PlatformOption platform = new PlatformOption(spec);
  private final IdMapOption idMap = new IdMapOption(spec);

  private final Value<String> rootfs =
      CommandModel.option("--rootfs")
          .label("<rootfs>")
          .description("path to secondary source of truth (root filesystem)")
          .on(spec);

  private final Value<String> configJson =
      CommandModel.positional("0").label("<config.json>").arity("1").on(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    RawRuntimeConfig.run(
        RawRuntimeConfig.Options.of(
                platform.apply(image.ref()), PathBytes.fromText(configJson.value()))
            .withRootfs(
                rootfs.value() == null || rootfs.value().isEmpty()
                    ? null
                    : PathBytes.fromText(rootfs.value()))
            .withMapping(idMap.mapping()));
    return 0;
  }
}
