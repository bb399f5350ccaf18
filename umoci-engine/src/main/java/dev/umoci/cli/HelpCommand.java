package dev.umoci.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code umoci help [command [subcommand]]} (alias {@code h}), urfave/cli's help command: the
 * application's help, or a command's; an unknown topic prints {@code No help topic for 'x'} on
 * stderr and exits 3, as umoci does.
 */
@Command(name = "help", aliases = "h", description = HelpCommand.USAGE)
final class HelpCommand implements Callable<Integer> {
  static final String USAGE = "Shows a list of commands or help for one command";

  /** umoci's exit status for an unknown command or help topic. */
  static final int UNKNOWN_TOPIC = 3;

  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "<command>")
  List<String> topics = new ArrayList<>();

  @Override
  public Integer call() {
    CommandLine root = spec.commandLine().getParent();
    if (topics.isEmpty()) {
      spec.commandLine().getOut().print(UmociHelp.app(root));
      spec.commandLine().getOut().flush();
      return 0;
    }
    CommandLine target = root;
    for (String topic : topics) {
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
