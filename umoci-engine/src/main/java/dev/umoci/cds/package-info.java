/**
 * Build-time tooling, not part of the library or the command line: {@link
 * dev.umoci.cds.CdsTraining}, the runs of everyday commands from which the engine's build makes the
 * CLI's class-data-sharing archives, one per set of commands (so {@code bin/umoci} starts fast on
 * Java 17), and {@link dev.umoci.cds.AotCacheBuilder}, which makes the ahead-of-time caches for
 * Java 24 and newer from the same runs when the build finds such a JDK, and {@link
 * dev.umoci.cds.JnaDispatchCopy}, which copies JNA's native library beside the jar so that JNA need
 * not extract it on every start. It ships in the jar only because the build runs it from the shaded
 * jar.
 *
 * <p>May use: the CLI ({@code cli.Main}) and what the CLI may use. Nothing depends on it.
 */
package dev.umoci.cds;
