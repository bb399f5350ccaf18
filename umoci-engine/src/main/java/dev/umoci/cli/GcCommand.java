package dev.umoci.cli;

import dev.umoci.ops.GarbageCollect;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "gc",
    customSynopsis = "--layout <image-path>",
    description = "garbage-collects an OCI image's blobs",
    footer = {
      "%nWhere \"<image-path>\" is the path to the OCI image. Every blob not reachable from",
      "index.json is removed, as are stale temporary directories."
    })
final class GcCommand implements Callable<Integer> {
  @Mixin LayoutOption layout;

  @Override
  public Integer call() throws Exception {
    GarbageCollect.run(new GarbageCollect.Options(layout.path()));
    return 0;
  }
}
