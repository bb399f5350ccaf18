package dev.umoci.cli;

import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code umoci raw}: advanced internal image tooling. */
@Command(
    name = "raw",
    description = "advanced internal image tooling",
    synopsisSubcommandLabel = "COMMAND")
final class RawCommand implements Runnable {
  /** The {@code raw} subcommands; add new ones here. */
  static final List<Supplier<Object>> SUBCOMMANDS =
      List.of(
          RawUnpackCommand::new,
          RawRuntimeConfigCommand::new,
          RawAddLayerCommand::new,
          RawMtreeValidateCommand::new);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
