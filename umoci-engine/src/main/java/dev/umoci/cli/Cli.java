package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.ops.ImageRef;
import dev.umoci.ops.ProgressListener;
import dev.umoci.ops.StatImage;
import dev.umoci.ops.Timestamps;
import java.io.IOException;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Helpers shared by command classes. */
final class Cli {
  private Cli() {}

  static PrintWriter out(CommandSpec spec) {
    return spec.commandLine().getOut();
  }

  static Timestamps timestamps(CommandSpec spec) throws InvalidArgumentException {
    return root(spec).timestamps();
  }

  /**
   * Logs {@code new image manifest created: <digest>} at info, as umoci's commands do, for the
   * image {@code image} (retagged {@code newTag} when not null) a command has just written. The
   * engine logs it at debug only, so that the Maven plugin can say it once in its own words.
   */
  static void logCommitted(ImageRef image, String newTag) throws IOException {
    // Not a static field: slf4j-simple takes its settings from the first logger created, which
    // must come after Main has set the level.
    Logger log = LoggerFactory.getLogger(Cli.class);
    if (log.isInfoEnabled()) {
      ImageRef written = newTag == null ? image : new ImageRef(image.layout(), newTag);
      Descriptor manifest = StatImage.run(new StatImage.Options(written)).manifestDescriptor();
      log.info("new image manifest created: {}", manifest.digest());
    }
  }

  /** The progress display of this run: a bar on a terminal, else nothing. */
  static ProgressListener progress(CommandSpec spec) throws InvalidArgumentException {
    UmociCommand root = root(spec);
    return ProgressBar.forTerminal(root.terminal, root.logLevel(), spec.commandLine().getErr());
  }

  /** The progress line of a copy: on a terminal, unless {@code quiet} or {@code --log error}. */
  static dev.umoci.registry.TransferListener copyProgress(CommandSpec spec, boolean quiet)
      throws InvalidArgumentException {
    UmociCommand root = root(spec);
    return ProgressPrinter.forTerminal(
        root.terminal, root.logLevel(), quiet, spec.commandLine().getErr());
  }

  static java.util.Map<String, String> environment(CommandSpec spec) {
    return root(spec).environment();
  }

  private static UmociCommand root(CommandSpec spec) {
    CommandLine cl = spec.commandLine();
    while (cl.getParent() != null) {
      cl = cl.getParent();
    }
    return (UmociCommand) cl.getCommand();
  }
}
