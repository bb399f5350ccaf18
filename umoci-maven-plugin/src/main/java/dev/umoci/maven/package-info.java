/**
 * The Maven plugin: one Mojo per goal, each mapping its parameters to an {@code ops} call (and
 * Maven's project model to inputs, such as the artifact and dependency layers). Failures become
 * {@code MojoFailureException} with the engine's one-line message.
 *
 * <p>May use: the engine's {@code ops}, {@code oci.spec} (records in parameters and results) and
 * {@code errors}; never {@code layer}, {@code fs}, {@code oci.layout} or {@code sys} directly
 * (checked by the plugin's {@code ArchitectureTest}).
 */
package dev.umoci.maven;
