package dev.umoci.cli;

import dev.umoci.ops.RawRuntimeConfig;
import dev.umoci.sys.PathBytes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "runtime-config",
    aliases = "config",
    customSynopsis = "--image <image-path>[:<tag>] [--rootfs <rootfs>] <config.json>",
    description = "generates an OCI runtime configuration for an image",
    footer = {
      "%nWhere \"<image-path>\" is the path to the OCI image, \"<tag>\" is the name of the",
      "tagged image to unpack (if not specified, defaults to \"latest\"), \"<rootfs>\" is",
      "a rootfs to use as a supplementary \"source of truth\" for certain generation",
      "operations and \"<config.json>\" is the destination to write the runtime",
      "configuration to.",
      "",
      "Note that the results of this may not agree with umoci-unpack(1) because the",
      "--rootfs flag affects how certain properties are interpreted."
    })
final class RawRuntimeConfigCommand implements Callable<Integer> {
  @Mixin ImageOption image;
  @Mixin PlatformOption platform;
  @Mixin IdMapOption idMap;

  @Option(
      names = "--rootfs",
      paramLabel = "<rootfs>",
      description = "path to secondary source of truth (root filesystem)")
  String rootfs;

  @Parameters(index = "0", arity = "1", paramLabel = "<config.json>")
  String configJson;

  @Override
  public Integer call() throws Exception {
    RawRuntimeConfig.run(
        RawRuntimeConfig.Options.of(platform.apply(image.ref()), PathBytes.fromText(configJson))
            .withRootfs(rootfs == null || rootfs.isEmpty() ? null : PathBytes.fromText(rootfs))
            .withMapping(idMap.mapping()));
    return 0;
  }
}
