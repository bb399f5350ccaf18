package dev.umoci.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Command-line mistakes reported as umoci 0.6 reports them:
 *
 * <ul>
 *   <li>an unknown flag: {@code Incorrect Usage: flag provided but not defined: -name} and the
 *       command's help on stdout (urfave/cli), the error on stderr, exit 1. Only the first unknown
 *       flag is named, as Go's flag package stops there; a value after it is not a second error;
 *   <li>a flag without its value: {@code flag needs an argument: -name}, the same way;
 *   <li>an unknown command: {@code No help topic for 'name'} on stderr, exit 3;
 *   <li>a missing {@code --image}/{@code --layout}: {@code missing mandatory argument: --image};
 *   <li>too many or too few arguments: {@code invalid number of positional arguments: expected
 *       <bundle>} (or {@code none}), exit 1.
 * </ul>
 */
final class UsageErrors {
  private UsageErrors() {}

  /** Reports {@code e} for the command line {@code args}; returns the exit status. */
  static int report(ParameterException e, String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = e.getCommandLine();
    UnknownFlag unknown = firstUnknownFlag(cl, args);
    if (unknown != null) {
      // Go's flag parsing fails on it before any other check runs
      return incorrectUsage(
          unknown.command(), "flag provided but not defined: -" + unknown.name(), out, err);
    }
    if (e instanceof UnmatchedArgumentException unmatched) {
      List<String> rest = unmatched.getUnmatched();
      for (String arg : rest) {
        if (arg.startsWith("-") && arg.length() > 1 && !arg.equals("--")) {
          String name = arg.replaceFirst("^--?", "");
          int eq = name.indexOf('=');
          return incorrectUsage(
              cl,
              "flag provided but not defined: -" + (eq < 0 ? name : name.substring(0, eq)),
              out,
              err);
        }
      }
      if (!cl.getSubcommands().isEmpty() && !rest.isEmpty()) {
        return HelpCommand.unknownTopic(cl, rest.get(0));
      }
      return fail(err, positionalCount(cl));
    }
    if (e instanceof MissingParameterException missing) {
      for (ArgSpec arg : missing.getMissing()) {
        if (arg instanceof OptionSpec option) {
          String name = option.longestName();
          if (given(args, option)) {
            return incorrectUsage(cl, "flag needs an argument: " + name.substring(1), out, err);
          }
          return fail(err, "missing mandatory argument: " + name);
        }
      }
      return fail(err, positionalCount(cl));
    }
    return fail(err, firstLine(e.getMessage()));
  }

  /** An unknown flag and the command whose flags were being parsed when it came. */
  record UnknownFlag(CommandLine command, String name) {}

  /**
   * The first flag on the command line that the command being parsed at its place does not define
   * (a command's flags are its own and those of the commands above it, as picocli inherits them),
   * skipping the values of known flags; null if none.
   */
  static UnknownFlag firstUnknownFlag(CommandLine any, String[] args) {
    CommandLine cl = any;
    while (cl.getParent() != null) {
      cl = cl.getParent();
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        return null;
      }
      if (!arg.startsWith("-") || arg.length() == 1) {
        CommandLine sub = cl.getSubcommands().get(arg);
        if (sub != null) {
          cl = sub;
        }
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      OptionSpec option = null;
      for (CommandLine c = cl; c != null && option == null; c = c.getParent()) {
        option = c.getCommandSpec().findOption(name);
      }
      if (option == null) {
        return new UnknownFlag(cl, name.replaceFirst("^--?", ""));
      }
      if (eq < 0 && option.arity().max() > 0) {
        i++; // its value, which may start with '-'
      }
    }
    return null;
  }

  /** Whether one of {@code option}'s names is on the command line (so its value is missing). */
  private static boolean given(String[] args, OptionSpec option) {
    for (String arg : args) {
      for (String name : option.names()) {
        if (arg.equals(name) || arg.startsWith(name + "=")) {
          return true;
        }
      }
    }
    return false;
  }

  private static int incorrectUsage(
      CommandLine cl, String error, PrintWriter out, PrintWriter err) {
    boolean app = cl.getParent() == null;
    out.print(app ? "Incorrect Usage. " : "Incorrect Usage: ");
    out.print(error);
    out.print("\n\n");
    out.print(app ? UmociHelp.app(cl) : UmociHelp.command(cl));
    out.flush();
    return fail(err, error);
  }

  private static String positionalCount(CommandLine cl) {
    List<String> labels = new ArrayList<>();
    for (PositionalParamSpec p : cl.getCommandSpec().positionalParameters()) {
      labels.add(p.paramLabel());
    }
    return "invalid number of positional arguments: expected "
        + (labels.isEmpty() ? "none" : String.join(" ", labels));
  }

  private static int fail(PrintWriter err, String message) {
    err.println("umoci: " + message);
    err.flush();
    return 1;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
