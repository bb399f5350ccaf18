package dev.umoci.cli;

import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/** {@code umoci raw}: advanced internal image tooling; subcommands in umoci 0.6's order. */
final class RawCommand implements Runnable, CliCommand {
  static final String NAME = "raw";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .synopsis("raw <command> [<args>...]")
          .description("advanced internal image tooling")
          .subcommandLabel("COMMAND")
          .footer(
              "%nIn order to facilitate more advanced uses of umoci, the umoci-raw(1)",
              "subcommands allow for more fine-grained information to be provided from umoci.",
              "Please do not use these commands if you are not familiar with the intricacies",
              "of the OCI specifications. The top-level umoci-unpack(1) and similar commands",
              "should be sufficient for most use-cases.")
          .spec();

  /** The {@code raw} subcommands; add new ones here. */
  static final List<Supplier<CliCommand>> SUBCOMMANDS =
      List.of(
          RawAddLayerCommand::new,
          RawRuntimeConfigCommand::new,
          RawUnpackCommand::new,
          RawMtreeValidateCommand::new);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public void run() {
    // `umoci raw` alone shows the raw commands, as umoci does
    spec.commandLine().getOut().print(UmociHelp.command(spec.commandLine()));
    spec.commandLine().getOut().flush();
  }
}
