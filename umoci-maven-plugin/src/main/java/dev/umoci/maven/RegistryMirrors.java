package dev.umoci.maven;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.registry.Mirrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * {@code <registryMirrors>} as the engine's {@link Mirrors}: each mirror with the credentials of
 * the {@code settings.xml} server named as the mirror's host ({@link ServerCredentials}), else the
 * engine's own sources for that host, and insecure when {@code <allowInsecureRegistries>} is.
 */
final class RegistryMirrors {
  private RegistryMirrors() {}

  /**
   * The mirrors {@code given} configures, or null for none.
   *
   * @throws MojoFailureException naming the {@code <mirror>} that lacks its registry or mirrors,
   *     names one twice, or has a malformed mirror
   */
  static Mirrors of(
      List<RegistryMirror> given, boolean insecure, Settings settings, SettingsDecrypter decrypter)
      throws MojoFailureException {
    if (given == null || given.isEmpty()) {
      return null;
    }
    List<Mirrors.Entry> entries = new ArrayList<>();
    Set<String> registries = new HashSet<>();
    for (RegistryMirror m : given) {
      String registry = m.registry == null ? "" : m.registry.strip();
      if (registry.isEmpty()) {
        throw new MojoFailureException("<registryMirrors>: a <mirror> has no <registry>");
      }
      String where = "<registryMirrors>: <mirror> of " + registry + ": ";
      if (m.mirrors == null || m.mirrors.isEmpty()) {
        throw new MojoFailureException(where + "no <mirrors>");
      }
      List<Mirrors.Endpoint> endpoints = new ArrayList<>();
      try {
        Mirrors.checkLocation(registry);
        for (String location : m.mirrors) {
          String l = location == null ? "" : location.strip();
          Mirrors.checkLocation(l);
          String host = l.contains("/") ? l.substring(0, l.indexOf('/')) : l;
          endpoints.add(
              new Mirrors.Endpoint(l, insecure, ServerCredentials.of(settings, decrypter, host)));
        }
      } catch (InvalidArgumentException e) {
        throw new MojoFailureException(where + e.getMessage(), e);
      }
      Mirrors.Entry entry = new Mirrors.Entry(registry, endpoints, false);
      if (!registries.add(entry.prefix())) {
        throw new MojoFailureException(where + "the registry has another <mirror> before");
      }
      entries.add(entry);
    }
    return new Mirrors(entries);
  }
}
