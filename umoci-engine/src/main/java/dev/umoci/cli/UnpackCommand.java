package dev.umoci.cli;

import dev.umoci.ops.Unpack;
import dev.umoci.sys.PathBytes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "unpack",
    customSynopsis = "--image <image-path>[:<tag>] <bundle>",
    description = "unpacks a reference into an OCI runtime bundle",
    footer = {
      "%nWhere \"<image-path>\" is the path to the OCI image, \"<tag>\" is the name of the",
      "tagged image to unpack (if not specified, defaults to \"latest\") and \"<bundle>\"",
      "is the destination to unpack the image to.",
      "",
      "It should be noted that this is not the same as oci-create-runtime-bundle,",
      "because this command also will create an mtree specification to allow for layer",
      "creation with umoci-repack(1)."
    })
final class UnpackCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ImageOption image;
  @Mixin PlatformOption platform;
  @Mixin IdMapOption idMap;
  @Mixin LayerLimitsOption layerLimits;

  @Option(
      names = "--keep-dirlinks",
      description = "don't clobber underlying symlinks to directories")
  boolean keepDirlinks;

  @Parameters(index = "0", arity = "1", paramLabel = "<bundle>")
  String bundle;

  @Override
  public Integer call() throws Exception {
    Unpack.run(
        Unpack.Options.of(platform.apply(image.ref()), PathBytes.fromText(bundle))
            .withMapping(idMap.mapping())
            .withKeepDirlinks(keepDirlinks)
            .withLimits(layerLimits.limits()),
        Cli.progress(spec));
    return 0;
  }
}
