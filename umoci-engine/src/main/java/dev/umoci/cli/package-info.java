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
 * <p>May use: every engine package ({@code ops} for the work; {@code sys} to recover argument
 * bytes), picocli (only here) and slf4j-simple's configuration. Nothing else depends on it.
 */
package dev.umoci.cli;
