package dev.umoci.cli;

import dev.umoci.errors.UmociException;
import dev.umoci.ops.CopyLocation;
import dev.umoci.sys.PathBytes;
import dev.umoci.sys.ProcessArguments;
import dev.umoci.sys.Tty;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Entry point of the standalone CLI, taking umoci's command line. Errors are printed as one line
 * {@code umoci: <message>} on stderr with exit status 1; stack traces only at {@code --log=debug}.
 */
public final class Main {
  private Main() {}

  /**
   * A top-level command: its name and aliases (the command class's constants, which its model uses
   * too) and how to make it, so that start-up makes only the command named on the line.
   */
  record Entry(String name, List<String> aliases, Supplier<CliCommand> make) {
    boolean isNamed(String word) {
      return name.equals(word) || aliases.contains(word);
    }
  }

  private static Entry entry(String name, Supplier<CliCommand> make, String... aliases) {
    return new Entry(name, List.of(aliases), make);
  }

  /** Top-level subcommands, in umoci 0.6's order (its help lists them so); add new ones here. */
  static final List<Entry> COMMANDS =
      List.of(
          entry(ConfigCommand.NAME, ConfigCommand::new),
          entry(UnpackCommand.NAME, UnpackCommand::new),
          entry(RepackCommand.NAME, RepackCommand::new),
          entry(GcCommand.NAME, GcCommand::new),
          entry(InitCommand.NAME, InitCommand::new),
          entry(NewCommand.NAME, NewCommand::new),
          entry(TagCommand.NAME, TagCommand::new),
          entry(RemoveCommand.NAME, RemoveCommand::new, RemoveCommand.ALIAS),
          entry(ListCommand.NAME, ListCommand::new, ListCommand.ALIAS),
          entry(StatCommand.NAME, StatCommand::new),
          entry(RawCommand.NAME, RawCommand::new),
          entry(InsertCommand.NAME, InsertCommand::new),
          entry(CopyCommand.NAME, CopyCommand::new),
          entry(HelpCommand.NAME, HelpCommand::new, HelpCommand.ALIAS));

  public static void main(String[] args) {
    // On first use JNA builds a library search path by running `ldconfig -p` as a child process
    // (~20 ms) unless this property is set. We bind only libc, which JNA resolves through the
    // process itself, so the standard directories are enough; a value given with -D wins.
    if (System.getProperty("jna.platform.library.path") == null) {
      System.setProperty("jna.platform.library.path", "/usr/lib:/lib");
    }
    // picocli's default factory looks for Groovy's Closure class when it is first used, and that
    // miss opens the jar and reads its directory (2,300 entries, cold code) on the main thread,
    // ahead of the command; we have no Groovy. The jar is opened later anyway, off the main thread
    // (java.util.logging's service lookup for JNA, on the warm-up thread): a pull of a one-layer
    // image 4-8 ms sooner, 10 ms less CPU (two sets of 20 runs; docs/performance.md, registry).
    if (System.getProperty("picocli.disable.closures") == null) {
      System.setProperty("picocli.disable.closures", "true");
    }
    // Each picocli CommandLine registers its built-in converters, and those of java.sql, java.time
    // and java.nio.file types through reflection, which loads and initialises 81 JDK classes
    // (MonthDay builds a date formatter, Period compiles a regex): 4 ms on the main thread before a
    // command starts (docs/performance.md, start-up). Our options are booleans, strings, lists of
    // strings and paths, whose converter is our own (PathBytes).
    if (System.getProperty("picocli.converters.excludes") == null) {
      System.setProperty("picocli.converters.excludes", "java\\.(sql|time|nio\\.file)\\..*");
    }
    // SLF4J finds its binding through a ServiceLoader scan of the class path unless it is named:
    // the CLI jar carries slf4j-simple, and the scan was 4.5 ms of CPU on the main thread just
    // before a pull starts its connection (one-layer pull 8-16 ms sooner, two sets of 30 runs).
    // Named, SLF4J says so on stderr at its "info" verbosity; its warnings and errors still show.
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
      if (System.getProperty("slf4j.internal.verbosity") == null) {
        System.setProperty("slf4j.internal.verbosity", "WARN");
      }
    }
    JsonWarmUp.start(commandWord(args), namesRegistry(args));
    // The launcher decoded argv with the locale's charset, lossily under LC_ALL=C: take the bytes.
    System.exit(
        run(
            ProcessArguments.recover(args),
            System.out,
            System.err,
            System.getenv(),
            interactive(System.getenv())));
  }

  /**
   * Starts setting up JSON and the C library's binding on a second thread ({@link JsonWarmUp}), as
   * for a command line whose command word is {@code command} (null for none; it decides on
   * libcrypto and the HTTP client's warm-up) and which names a registry; every {@link #run} after
   * it waits for that before running a command. {@link #main} starts it itself; the training run
   * calls this.
   */
  public static void warmUp(String command) {
    JsonWarmUp.start(command, true);
  }

  /** Runs one command line with the process environment; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, System.getenv());
  }

  /**
   * Runs one command line; {@code environment} supplies {@code SOURCE_DATE_EPOCH}. Returns the exit
   * status (0 on success).
   */
  public static int run(
      String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
    return run(args, out, err, environment, false);
  }

  /**
   * Whether progress may be drawn: standard error, where it goes, is a terminal ({@code
   * System.console()} would test standard input and output instead), and not a dumb one, which
   * cannot redraw a line.
   */
  private static boolean interactive(Map<String, String> environment) {
    return Tty.isTerminal(2) && !"dumb".equals(environment.get("TERM"));
  }

  private static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      Map<String, String> environment,
      boolean terminal) {
    UmociCommand root = new UmociCommand(environment);
    root.terminal = terminal;
    CommandLine cl = build(root, args);
    PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
    cl.setOut(outWriter);
    cl.setErr(errWriter);
    boolean[] debug = new boolean[1];
    boolean[] warn = {true};
    cl.setExecutionStrategy(
        parseResult -> {
          Integer help = helpIfRequested(parseResult, outWriter);
          if (help != null) {
            return help;
          }
          String level;
          try {
            level = root.logLevel();
          } catch (UmociException e) {
            errWriter.println("umoci: " + e.getMessage());
            return 1;
          }
          debug[0] = "debug".equals(level);
          warn[0] = !"error".equals(level);
          configureLogging(level);
          JsonWarmUp.awaitJson();
          startEarly(parseResult);
          JsonWarmUp.await();
          return new CommandLine.RunLast().execute(parseResult);
        });
    cl.setParameterExceptionHandler(
        (ParameterException e, String[] a) -> UsageErrors.report(e, a, outWriter, errWriter));
    cl.setExecutionExceptionHandler(
        (Exception e, CommandLine failed, ParseResult parseResult) -> {
          report(e, debug[0], warn[0], errWriter);
          return 1;
        });
    try {
      return cl.execute(args);
    } catch (RuntimeException e) {
      report(e, debug[0], warn[0], errWriter);
      return 1;
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  /**
   * The command line model. Building picocli's model of a command is the costly part of start-up,
   * so when {@code args} name a command (and ask for no top-level help) only that command is
   * modelled; the parse is the same, since picocli dispatches to exactly one subcommand. Anything
   * else (no command, an unknown one, top-level help) gets every command, for help and suggestions.
   */
  static CommandLine build(UmociCommand root, String[] args) {
    CommandLine cl = new CommandLine(root.spec());
    String wanted = commandWord(args);
    boolean help = HelpCommand.NAME.equals(wanted) || HelpCommand.ALIAS.equals(wanted);
    boolean one =
        wanted != null && !help && COMMANDS.stream().anyMatch(entry -> entry.isNamed(wanted));
    for (Entry entry : COMMANDS) {
      if (one && !entry.isNamed(wanted)) {
        continue;
      }
      CliCommand command = entry.make().get();
      CommandLine sub = new CommandLine(command.spec());
      if (command instanceof RawCommand) {
        for (Supplier<CliCommand> raw : RawCommand.SUBCOMMANDS) {
          sub.addSubcommand(new CommandLine(raw.get().spec()));
        }
      }
      cl.addSubcommand(sub);
    }
    // umoci's config takes values starting with '-' (e.g. --config.cmd -c): an option always
    // consumes the next argument, like Go's flag package.
    cl.setAllowOptionsAsOptionParameters(true);
    cl.setUnmatchedOptionsAllowedAsOptionParameters(true);
    cl.setOverwrittenOptionsAllowed(true);
    cl.setCaseInsensitiveEnumValuesAllowed(false);
    // Path arguments name bytes (see PathBytes.fromText), not strings in the locale's charset.
    cl.registerConverter(Path.class, PathBytes::fromText);
    for (CommandLine sub : allCommands(cl)) {
      if (sub != cl) {
        sub.getCommandSpec()
            .addOption(
                CommandLine.Model.OptionSpec.builder("-h", "--help")
                    .usageHelp(true)
                    .description("show help")
                    .build());
      }
      sub.getCommandSpec().usageMessage().width(100);
      String[] footer = sub.getCommandSpec().usageMessage().footer();
      if (footer.length > 0) {
        String[] withBlank = java.util.Arrays.copyOf(footer, footer.length + 1);
        withBlank[footer.length] = "";
        sub.getCommandSpec().usageMessage().footer(withBlank);
      }
    }
    return cl;
  }

  /**
   * The first argument that is not a top-level option, or null when a top-level help or version
   * option comes first or the arguments end before a command.
   */
  static String commandWord(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h", "--help", "-v", "--version", "--" -> {
          return null;
        }
        case "--log" -> i++; // its value is the next argument
        default -> {
          if (!a.startsWith("-")) {
            return a;
          }
        }
      }
    }
    return null;
  }

  /** Whether an argument names an image in a registry ({@code docker://REFERENCE}). */
  private static boolean namesRegistry(String[] args) {
    for (String arg : args) {
      if (CopyLocation.namesRegistry(arg)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the CLI has a top-level command called {@code name} (name or alias). */
  public static boolean hasCommand(String name) {
    return COMMANDS.stream().anyMatch(entry -> entry.isNamed(name));
  }

  private static List<CommandLine> allCommands(CommandLine cl) {
    java.util.ArrayList<CommandLine> all = new java.util.ArrayList<>();
    all.add(cl);
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!all.contains(sub)) {
        all.addAll(allCommands(sub));
      }
    }
    return all;
  }

  /**
   * Prints umoci's help for a {@code --help}/{@code -h} anywhere on the command line (the innermost
   * command's), or the version lines for {@code --version}; returns 0 then, else null.
   */
  private static Integer helpIfRequested(ParseResult parseResult, PrintWriter out) {
    // the outermost command asked for help wins: `umoci --help stat` shows umoci's own help
    for (ParseResult r = parseResult; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
      if (r.isUsageHelpRequested()) {
        CommandLine target = r.commandSpec().commandLine();
        out.print(target.getParent() == null ? UmociHelp.app(target) : UmociHelp.command(target));
        out.flush();
        return 0;
      }
    }
    if (parseResult.isVersionHelpRequested()) {
      for (String line : new VersionProvider().getVersion()) {
        out.println(line);
      }
      out.flush();
      return 0;
    }
    return null;
  }

  /**
   * Prints {@code umoci: <message>}; before it, for a permission error and unless the log level is
   * {@code error}, umoci's warning that suggests {@code --rootless}.
   */
  private static void report(Throwable e, boolean debug, boolean warn, PrintWriter err) {
    Throwable cause = e;
    if (cause instanceof CommandLine.ExecutionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (warn && PermissionErrors.isPermissionError(cause)) {
      err.println("[WARN] " + PermissionErrors.ROOTLESS_HINT);
    }
    if (cause instanceof UmociException) {
      err.println("umoci: " + firstLine(cause.getMessage()));
    } else if (cause instanceof java.io.IOException) {
      err.println("umoci: " + describe(cause));
    } else {
      err.println("umoci: internal error: " + describe(cause));
    }
    if (debug) {
      cause.printStackTrace(err);
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return message + ": no such file or directory";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return message + ": permission denied";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return message + ": file exists";
    }
    return message == null ? e.getClass().getSimpleName() : firstLine(message);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /**
   * Lets the command that will run ({@link EarlyStart}) start its independent work while the
   * warm-up still binds the native libraries: for a pull, the registry connection is then made
   * while JNA is set up instead of after it.
   */
  private static void startEarly(ParseResult parseResult) {
    ParseResult last = parseResult;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    if (last.commandSpec().userObject() instanceof EarlyStart early) {
      early.startEarly();
    }
  }

  /** slf4j-simple reads these once, when the first logger is created. */
  private static void configureLogging(String level) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
    System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
  }
}
