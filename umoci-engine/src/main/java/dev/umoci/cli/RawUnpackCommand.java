package dev.umoci.cli;

import dev.umoci.ops.RawUnpack;
import dev.umoci.sys.PathBytes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "unpack",
    customSynopsis = "--image <image-path>[:<tag>] <rootfs>",
    description = "unpacks a reference into a rootfs",
    footer = {
      "%nWhere \"<image-path>\" is the path to the OCI image, \"<tag>\" is the name of the",
      "tagged image to unpack (if not specified, defaults to \"latest\") and \"<rootfs>\"",
      "is the destination to unpack the image to."
    })
final class RawUnpackCommand implements Callable<Integer> {
  @Mixin ImageOption image;
  @Mixin PlatformOption platform;
  @Mixin IdMapOption idMap;
  @Mixin LayerLimitsOption layerLimits;

  @Option(
      names = "--keep-dirlinks",
      description = "don't clobber underlying symlinks to directories")
  boolean keepDirlinks;

  @Parameters(index = "0", arity = "1", paramLabel = "<rootfs>")
  String rootfs;

  @Override
  public Integer call() throws Exception {
    RawUnpack.run(
        RawUnpack.Options.of(platform.apply(image.ref()), PathBytes.fromText(rootfs))
            .withMapping(idMap.mapping())
            .withKeepDirlinks(keepDirlinks)
            .withLimits(layerLimits.limits()));
    return 0;
  }
}
