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
 */
package dev.umoci.registry;
