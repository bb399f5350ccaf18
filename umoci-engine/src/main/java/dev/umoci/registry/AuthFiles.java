package dev.umoci.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credential files to read, in order, as skopeo and podman (containers-image's {@code
 * pkg/docker/config}) read them on Linux, from an environment given as a map:
 *
 * <ol>
 *   <li>an explicit file ({@code --authfile}, else {@code $REGISTRY_AUTH_FILE}), and then no other;
 *   <li>otherwise {@code $XDG_RUNTIME_DIR/containers/auth.json} (when {@code XDG_RUNTIME_DIR} is
 *       set but is no directory, a warning and no file, as skopeo), or {@code
 *       /run/containers/<uid>/auth.json} without it;
 *   <li>{@code $XDG_CONFIG_HOME/containers/auth.json}, else {@code
 *       $HOME/.config/containers/auth.json};
 *   <li>{@code $DOCKER_CONFIG/config.json}, else {@code $HOME/.docker/config.json};
 *   <li>{@code $HOME/.dockercfg}, docker's legacy format (the {@code auths} map at the top level).
 * </ol>
 *
 * Files that do not exist are skipped by the reader; paths that need an unset variable are left
 * out.
 */
final class AuthFiles {
  private static final Logger LOG = LoggerFactory.getLogger(AuthFiles.class);

  /**
   * One file to read: {@code label} names it in messages (the path, or the flag or variable that
   * gave it); {@code legacy} marks the {@code .dockercfg} format; {@code required} an explicit
   * {@code --authfile}, whose absence is an error.
   */
  record AuthFile(Path path, String label, boolean legacy, boolean required) {}

  private AuthFiles() {}

  /** The files for {@code explicit} ({@code --authfile}, or null) and {@code env}, in order. */
  static List<AuthFile> of(Path explicit, Map<String, String> env) {
    if (explicit != null) {
      return List.of(new AuthFile(explicit, "--authfile " + explicit, false, true));
    }
    String fromEnv = nonEmpty(env, "REGISTRY_AUTH_FILE");
    if (fromEnv != null) {
      Path p = Path.of(fromEnv);
      return List.of(new AuthFile(p, "$REGISTRY_AUTH_FILE " + p, false, false));
    }
    List<AuthFile> files = new ArrayList<>();
    String runtimeDir = nonEmpty(env, "XDG_RUNTIME_DIR");
    if (runtimeDir != null) {
      if (Files.isDirectory(Path.of(runtimeDir))) {
        add(files, Path.of(runtimeDir, "containers", "auth.json"), false);
      } else {
        LOG.warn(
            "\"{}\" directory set by $XDG_RUNTIME_DIR does not exist; not reading credentials"
                + " from it",
            runtimeDir);
      }
    } else {
      Long uid = uid();
      if (uid != null) {
        add(files, Path.of("/run/containers", uid.toString(), "auth.json"), false);
      }
    }
    String home = nonEmpty(env, "HOME");
    String configHome = nonEmpty(env, "XDG_CONFIG_HOME");
    if (configHome != null) {
      add(files, Path.of(configHome, "containers", "auth.json"), false);
    } else if (home != null) {
      add(files, Path.of(home, ".config", "containers", "auth.json"), false);
    }
    String dockerConfig = nonEmpty(env, "DOCKER_CONFIG");
    if (dockerConfig != null) {
      add(files, Path.of(dockerConfig, "config.json"), false);
    } else if (home != null) {
      add(files, Path.of(home, ".docker", "config.json"), false);
    }
    if (home != null) {
      add(files, Path.of(home, ".dockercfg"), true);
    }
    return files;
  }

  private static void add(List<AuthFile> files, Path p, boolean legacy) {
    files.add(new AuthFile(p, p.toString(), legacy, false));
  }

  private static String nonEmpty(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** The process's user id (the owner of {@code /proc/self}), or null where that is unknown. */
  private static Long uid() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }
}
