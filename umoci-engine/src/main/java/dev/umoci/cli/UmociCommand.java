package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.Timestamps;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** The top-level {@code umoci} command: global options; subcommands come from {@link Main}. */
public final class UmociCommand implements Runnable, CliCommand {
  private final CommandSpec spec =
      CommandModel.command(this, "umoci")
          .description("umoci modifies Open Container images")
          .subcommandLabel("COMMAND")
          .width(100)
          .spec();

  // In umoci's order: its help lists the global flags so.
  private final Value<Boolean> verbose =
      CommandModel.flag("--verbose").description("alias for --log=info").on(spec);

  private final Value<String> log =
      CommandModel.option("--log")
          .label("LEVEL")
          .defaultValue("warn")
          .description("set the log level (debug, info, [warn], error, fatal)")
          .on(spec);

  private final Value<Boolean> help =
      CommandModel.flag("--help", "-h").usageHelp().description("show help").on(spec);

  private final Value<Boolean> version =
      CommandModel.flag("--version", "-v").versionHelp().description("print the version").on(spec);

  private final Map<String, String> environment;

  /** Whether standard error is an interactive terminal (progress bars are drawn only there). */
  boolean terminal;

  UmociCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  /** The effective log level after checking --log and --verbose. */
  String logLevel() throws InvalidArgumentException {
    boolean logGiven = spec.commandLine().getParseResult().hasMatchedOption("--log");
    if (verbose.value() && logGiven) {
      throw new InvalidArgumentException("--log=* and --verbose are mutually exclusive");
    }
    String level = verbose.value() ? "info" : log.value();
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
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public void run() {
    // `umoci` alone shows the help on stdout, as umoci does
    spec.commandLine().getOut().print(UmociHelp.app(spec.commandLine()));
    spec.commandLine().getOut().flush();
  }
}
