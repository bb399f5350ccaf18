package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.Timestamps;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The top-level {@code umoci} command: global options; subcommands come from {@link Main}. */
@Command(
    name = "umoci",
    versionProvider = VersionProvider.class,
    description = "umoci modifies Open Container images",
    synopsisSubcommandLabel = "COMMAND",
    usageHelpWidth = 100)
public final class UmociCommand implements Runnable {
  @Spec CommandSpec spec;

  // In umoci's order: its help lists the global flags so.
  @Option(names = "--verbose", description = "alias for --log=info")
  boolean verbose;

  @Option(
      names = "--log",
      paramLabel = "LEVEL",
      defaultValue = "warn",
      description = "set the log level (debug, info, [warn], error, fatal)")
  String log;

  @Option(
      names = {"--help", "-h"},
      usageHelp = true,
      description = "show help")
  boolean help;

  @Option(
      names = {"--version", "-v"},
      versionHelp = true,
      description = "print the version")
  boolean version;

  private final Map<String, String> environment;

  /** Whether standard error is an interactive terminal (progress bars are drawn only there). */
  boolean terminal;

  UmociCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  /** The effective log level after checking --log and --verbose. */
  String logLevel() throws InvalidArgumentException {
    boolean logGiven = spec.commandLine().getParseResult().hasMatchedOption("--log");
    if (verbose && logGiven) {
      throw new InvalidArgumentException("--log=* and --verbose are mutually exclusive");
    }
    String level = verbose ? "info" : log;
    return switch (level) {
      case "debug", "info", "warn", "error" -> level;
      case "warning" -> "warn";
      case "fatal", "panic" -> "error";
      default ->
          throw new InvalidArgumentException(
              "parsing log level: not a valid level: \"" + level + "\"");
    };
  }

  /** The environment this run was given. */
  Map<String, String> environment() {
    return environment;
  }

  /** "Now" for this run: SOURCE_DATE_EPOCH from the run's environment, else the system clock. */
  Timestamps timestamps() throws InvalidArgumentException {
    return new Timestamps(
        java.time.Clock.systemUTC(),
        Timestamps.parseSourceDateEpoch(environment.get("SOURCE_DATE_EPOCH")));
  }

  @Override
  public void run() {
    // `umoci` alone shows the help on stdout, as umoci does
    spec.commandLine().getOut().print(UmociHelp.app(spec.commandLine()));
    spec.commandLine().getOut().flush();
  }
}
