package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code umoci help [command [subcommand]]} (alias {@code h}), urfave/cli's help command: the
 * application's help, or a command's; an unknown topic prints {@code No help topic for 'x'} on
 * stderr and exits 3, as umoci does.
 */
final class HelpCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "help";
  static final String ALIAS = "h";

  private final CommandSpec spec =
      CommandModel.command(this, NAME).aliases(ALIAS).description(USAGE).spec();

  static final String USAGE = "Shows a list of commands or help for one command";

  /** umoci's exit status for an unknown command or help topic. */
  static final int UNKNOWN_TOPIC = 3;

  private final Value<List<String>> topics =
      CommandModel.positionals("0..*")
          .initially(new ArrayList<>())
          .label("<command>")
          .arity("0..*")
          .on(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() {
    CommandLine root = spec.commandLine().getParent();
    if (topics.value().isEmpty()) {
      spec.commandLine().getOut().print(UmociHelp.app(root));
      spec.commandLine().getOut().flush();
      return 0;
    }
    CommandLine target = root;
    for (String topic : topics.value()) {
      CommandLine next = target.getSubcommands().get(topic);
      if (next == null || next.getCommand() instanceof HelpCommand) {
        return unknownTopic(spec.commandLine(), topic);
      }
      target = next;
    }
    spec.commandLine().getOut().print(UmociHelp.command(target));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** Reports an unknown command or topic as umoci does; returns the exit status. */
  static int unknownTopic(CommandLine any, String topic) {
    any.getErr().println("No help topic for '" + topic + "'");
    any.getErr().flush();
    return UNKNOWN_TOPIC;
  }
}
