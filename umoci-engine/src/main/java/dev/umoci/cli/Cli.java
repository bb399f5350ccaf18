package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.Timestamps;
import java.io.PrintWriter;
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
