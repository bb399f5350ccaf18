/**
 * The standalone command line: one picocli command per umoci command, each mapping its flags to an
 * {@code ops} call and nothing more, plus {@link dev.umoci.cli.Main} (one-line errors, exit
 * status). It exists so that the jar takes umoci's own command line.
 *
 * <p>May use: every engine package ({@code ops} for the work; {@code sys} to recover argument
 * bytes), picocli (only here) and slf4j-simple's configuration. Nothing else depends on it.
 */
package dev.umoci.cli;
