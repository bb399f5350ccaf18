package dev.umoci.cli;

import dev.umoci.oci.casext.GarbageCollector;
import dev.umoci.oci.spec.Digest;
import dev.umoci.ops.GarbageCollect;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class GcCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "gc";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .synopsis("--layout <image-path>")
          .description("garbage-collects an OCI image's blobs")
          .footer(
              "%nWhere \"<image-path>\" is the path to the OCI image. Every blob not reachable from",
              "index.json is removed, as are stale temporary directories.")
          .spec();

  private final LayoutOption layout = new LayoutOption(spec);

  /**
   * Logs each removed blob at info, as umoci does (the engine logs them at debug only). The logger
   * is taken here, not in a static field: every command is instantiated before {@code Main} sets
   * the log level, and slf4j-simple reads its settings when the first logger is created.
   */
  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    GarbageCollector.Result result = GarbageCollect.run(new GarbageCollect.Options(layout.path()));
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GcCommand.class);
    for (Digest blob : result.removedBlobs()) {
      log.info("garbage collecting blob: {}", blob);
    }
    return 0;
  }
}
