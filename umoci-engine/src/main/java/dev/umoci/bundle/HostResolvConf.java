package dev.umoci.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a rootless config needs to know about the host's {@code /etc/resolv.conf}: whether it exists
 * and the locked mount options of the filesystem holding it.
 */
interface HostResolvConf {
  Path PATH = Path.of("/etc/resolv.conf");

  /** The locked mount options, or empty when the host has no {@code /etc/resolv.conf}. */
  Optional<List<String>> lockedOptions() throws IOException;

  /** The real host. */
  HostResolvConf HOST =
      () -> Files.exists(PATH) ? Optional.of(LockedMountFlags.of(PATH)) : Optional.empty();
}
