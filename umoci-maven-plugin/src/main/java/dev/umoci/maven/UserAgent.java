package dev.umoci.maven;

import dev.umoci.registry.RegistryOptions;

/** The {@code User-Agent} of the plugin's registry requests. */
final class UserAgent {
  /** {@code umoci-maven-plugin/VERSION}: registry operators can tell a Maven build's requests. */
  static final String VALUE =
      "umoci-maven-plugin/" + RegistryOptions.versionOf(UserAgent.class, "unknown");

  private UserAgent() {}
}
