package dev.umoci.maven;

import dev.umoci.registry.RegistryUnreachableException;

/**
 * The hint a goal adds when a registry's TLS handshake fails and insecure registries are not
 * allowed: the usual cause is a registry on plain HTTP or with a self-signed certificate, and the
 * switch that allows it is not obvious from the JDK's message.
 */
final class InsecureRegistryHint {
  private InsecureRegistryHint() {}

  /** {@code e} with the hint appended when it is a TLS failure and {@code allowed} is false. */
  static RegistryUnreachableException apply(RegistryUnreachableException e, boolean allowed) {
    if (allowed || e.getMessage() == null || !e.getMessage().contains("TLS handshake failed")) {
      return e;
    }
    return new RegistryUnreachableException(
        e.getMessage()
            + " (for a registry on plain HTTP or with a certificate the JDK does not trust: "
            + "<allowInsecureRegistries>true</allowInsecureRegistries>, "
            + "-Dumoci.allowInsecureRegistries)",
        false,
        e);
  }
}
