package dev.umoci.cli;

import dev.umoci.oci.casext.GarbageCollector;
import dev.umoci.oci.spec.Digest;
import dev.umoci.ops.GarbageCollect;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "gc",
    description = "garbage-collects an OCI image's blobs",
    footer = {
      "%nWhere \"<image-path>\" is the path to the OCI image. Every blob not reachable from",
      "index.json is removed, as are stale temporary directories."
    })
final class GcCommand implements Callable<Integer> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GcCommand.class);

  @Mixin LayoutOption layout;

  /** Logs each removed blob at info, as umoci does (the engine logs them at debug only). */
  @Override
  public Integer call() throws Exception {
    GarbageCollector.Result result = GarbageCollect.run(new GarbageCollect.Options(layout.path()));
    for (Digest blob : result.removedBlobs()) {
      LOG.info("garbage collecting blob: {}", blob);
    }
    return 0;
  }
}
