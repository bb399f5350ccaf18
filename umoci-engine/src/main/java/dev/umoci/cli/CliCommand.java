package dev.umoci.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * A command of the CLI (a {@link Runnable} or {@link java.util.concurrent.Callable} picocli runs
 * when it is chosen) with its picocli model, which it builds in code ({@link CommandModel}).
 */
interface CliCommand {
  /** The command's model, with this command as its user object. */
  CommandSpec spec();
}
