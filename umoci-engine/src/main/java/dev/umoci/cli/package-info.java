/**
 * The standalone command line: one picocli command per umoci command, each mapping its flags to an
 * {@code ops} call and nothing more, plus {@link dev.umoci.cli.Main} (one-line errors, exit
 * status). It exists so that the jar takes umoci's own command line.
 *
 * <p>picocli parses; the help text and usage errors are ours ({@code UmociHelp}, {@code
 * UsageErrors}) because scripts and people expect umoci's layout, which is urfave/cli's ({@code
 * NAME:}/{@code USAGE:}/{@code OPTIONS:}, {@code --flag value} columns, {@code Incorrect Usage:
 * flag provided but not defined: -x}, exit 3 for an unknown command), and picocli's help and error
 * texts cannot be configured into it.
 *
 * <p>The picocli model is built in code ({@code CommandModel}: each command declares its options
 * once, in field initialisers), not read from picocli's annotations: on Java 24+ every annotation
 * read generates a proxy class that the AOT cache cannot keep, 8-9 of them per start. {@code
 * CliGoldenTest} holds the model and all help and usage-error output to what the annotations gave.
 *
 * <p>May use: every engine package ({@code ops} for the work; {@code sys} to recover argument
 * bytes), picocli (only here) and slf4j-simple's configuration. Nothing else depends on it.
 */
package dev.umoci.cli;
