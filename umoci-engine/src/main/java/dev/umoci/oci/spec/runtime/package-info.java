/**
 * Jackson records of the OCI runtime-spec {@code config.json} members that umoci fills in. Field
 * names, order and omission rules follow the runtime-spec Go types ({@code omitempty} members are
 * left out when empty or false). Unknown members are tolerated on read and not kept.
 *
 * <p>Part of {@code oci.spec}; may use what it may.
 */
package dev.umoci.oci.spec.runtime;
