/**
 * The OCI distribution client: image references with Docker Hub's defaults, credentials ({@code
 * --creds}, auth files, docker's {@code config.json} and credential helpers), Basic and Bearer
 * authentication, TLS trust, and the pull ({@link dev.umoci.registry.Puller}) and push ({@link
 * dev.umoci.registry.Pusher}) of images between a registry and an OCI layout. It depends on {@code
 * oci.spec} and writes into a layout only through {@code oci.layout} and {@code oci.casext}; {@code
 * ops} composes it.
 *
 * <p>Why our own code rather than a library: the JDK's {@code java.net.http} client does HTTP/1.1,
 * TLS and connection reuse; what is left is the registry protocol itself (a handful of endpoints),
 * docker's token flow and credential files, which small classes here cover with the exact error and
 * verification behaviour the engine needs (stream into a temporary, verify, then publish; one line
 * per failure naming registry and repository). The Java registry libraries (Jib's core, Google's
 * container tools) bring their own HTTP stacks and large dependency trees, and none writes into our
 * layout with our crash-safety rules.
 *
 * <h2>No lambdas linked on a pull's transfer threads</h2>
 *
 * The code that the transfer threads of a pull run first, all at the same moment (a request for
 * each blob or part, its body handler, its progress callback, the threads of its parts), uses
 * classes and constants made in class initialisers instead of lambdas created there. When several
 * threads link one lambda call site at the same moment, Java 17's class-data-sharing archive gives
 * its archived class to one of them and the JDK spins a new class for each other one (a class
 * loaded from the jar, about a millisecond of CPU on a busy transfer thread): seen in 5 of 12 large
 * pulls in range parts, and by {@code LauncherIT}, which checks that a ranged pull loads no class
 * of ours from the jar. A push's transfer threads still link a few lambdas of {@code Pusher} and
 * {@code RegistryClient} (seen in 1 of 4 large pushes, one or two classes): a millisecond in a push
 * of a second or more, not worth turning its dozen request builders into classes.
 */
package dev.umoci.registry;
