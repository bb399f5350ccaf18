package dev.umoci.cli;

import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code umoci raw}: advanced internal image tooling; subcommands in umoci 0.6's order. */
@Command(
    name = "raw",
    customSynopsis = "raw <command> [<args>...]",
    description = "advanced internal image tooling",
    synopsisSubcommandLabel = "COMMAND",
    footer = {
      "%nIn order to facilitate more advanced uses of umoci, the umoci-raw(1)",
      "subcommands allow for more fine-grained information to be provided from umoci.",
      "Please do not use these commands if you are not familiar with the intricacies",
      "of the OCI specifications. The top-level umoci-unpack(1) and similar commands",
      "should be sufficient for most use-cases."
    })
final class RawCommand implements Runnable {
  /** The {@code raw} subcommands; add new ones here. */
  static final List<Supplier<Object>> SUBCOMMANDS =
      List.of(
          RawAddLayerCommand::new,
          RawRuntimeConfigCommand::new,
          RawUnpackCommand::new,
          RawMtreeValidateCommand::new);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    // `umoci raw` alone shows the raw commands, as umoci does
    spec.commandLine().getOut().print(UmociHelp.command(spec.commandLine()));
    spec.commandLine().getOut().flush();
  }
}
