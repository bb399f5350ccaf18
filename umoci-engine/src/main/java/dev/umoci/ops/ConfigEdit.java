package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.mutate.ImageMutator;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.ImageConfig;
import dev.umoci.oci.spec.Rfc3339;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The config and manifest-annotation changes of a {@link ConfigUpdate.Options}, applied to the
 * image an {@link ImageMutator} holds: a mutable working copy of the {@link ImageConfig}, {@code
 * --clear} keys first, then every given value. Options must have passed {@link
 * ConfigUpdate#validate}. No history entry, no commit: {@link ConfigUpdate} and {@link BuildImage}
 * do those.
 */
final class ConfigEdit {
  private String user;
  private final Set<String> exposedPorts;
  private final List<String> env;
  private List<String> entrypoint;
  private List<String> cmd;
  private final Set<String> volumes;
  private String workingDir;
  private final Map<String, String> labels;
  private String stopSignal;

  private ConfigEdit(ImageConfig c) {
    user = c.user();
    exposedPorts = c.exposedPorts() == null ? new TreeSet<>() : new TreeSet<>(c.exposedPorts());
    env = c.env() == null ? new ArrayList<>() : new ArrayList<>(c.env());
    entrypoint = c.entrypoint() == null ? null : new ArrayList<>(c.entrypoint());
    cmd = c.cmd() == null ? null : new ArrayList<>(c.cmd());
    volumes = c.volumes() == null ? new TreeSet<>() : new TreeSet<>(c.volumes());
    workingDir = c.workingDir();
    labels = c.labels() == null ? new TreeMap<>() : new TreeMap<>(c.labels());
    stopSignal = c.stopSignal();
  }

  /** Replaces the variable {@code name} if present, else appends it (umoci's AddConfigEnv). */
  private void setEnv(String name, String value) {
    String entry = name + "=" + value;
    for (int i = 0; i < env.size(); i++) {
      if (env.get(i).startsWith(name + "=")) {
        env.set(i, entry);
        return;
      }
    }
    env.add(entry);
  }

  private ImageConfig build(ImageConfig original) {
    return new ImageConfig(
        user,
        exposedPorts,
        env,
        entrypoint,
        cmd,
        volumes,
        workingDir,
        labels,
        stopSignal,
        original.argsEscaped());
  }

  /**
   * Applies {@code o} to the image {@code mutator} holds ({@code image}/{@code newTag}/{@code
   * history}/{@code timestamps} of {@code o} unused).
   *
   * @return the changed image config
   */
  static Image apply(ConfigUpdate.Options o, ImageMutator mutator) throws IOException {
    List<String> clear = o.clear() == null ? List.of() : o.clear();
    String created = o.created() == null ? null : Rfc3339.normalize(o.created(), "--created");
    Image before = mutator.image();
    ConfigEdit edit = new ConfigEdit(before.config());
    Map<String, String> annotations = new TreeMap<>(mutator.manifest().annotations());

    for (String key : clear) {
      switch (key) {
        case "config.labels" -> edit.labels.clear();
        case "manifest.annotations" -> annotations.clear();
        case "config.exposedports" -> edit.exposedPorts.clear();
        case "config.env" -> edit.env.clear();
        case "config.volume" -> edit.volumes.clear();
        case "config.cmd" -> edit.cmd = null;
        case "config.entrypoint" -> edit.entrypoint = null;
        default -> throw new IllegalStateException(key);
      }
    }
    if (o.user() != null) {
      edit.user = o.user();
    }
    if (o.stopSignal() != null) {
      edit.stopSignal = o.stopSignal();
    }
    if (o.workingDir() != null) {
      edit.workingDir = o.workingDir();
    }
    if (o.exposedPorts() != null) {
      edit.exposedPorts.addAll(o.exposedPorts());
    }
    if (o.env() != null) {
      for (String kv : o.env()) {
        String[] nv = splitKeyValue(kv, "--config.env");
        edit.setEnv(nv[0], nv[1]);
      }
    }
    if (o.entrypoint() != null) {
      edit.entrypoint = new ArrayList<>(o.entrypoint());
    }
    if (o.cmd() != null) {
      edit.cmd = new ArrayList<>(o.cmd());
    }
    if (o.volumes() != null) {
      edit.volumes.addAll(o.volumes());
    }
    if (o.labels() != null) {
      for (String kv : o.labels()) {
        String[] nv = splitKeyValue(kv, "--config.label");
        edit.labels.put(nv[0], nv[1]);
      }
    }
    if (o.manifestAnnotations() != null) {
      for (String kv : o.manifestAnnotations()) {
        String[] nv = splitKeyValue(kv, "--manifest.annotation");
        annotations.put(nv[0], nv[1]);
      }
    }
    Image after =
        new Image(
            created != null ? created : before.created(),
            o.author() != null ? o.author() : before.author(),
            o.architecture() != null ? o.architecture() : before.architecture(),
            o.os() != null ? o.os() : before.os(),
            before.osVersion(),
            before.osFeatures(),
            o.variant() != null ? o.variant() : before.variant(),
            edit.build(before.config()),
            before.rootfs(),
            before.history());
    mutator.setImage(after);
    mutator.setManifestAnnotations(annotations);
    return after;
  }

  private static String[] splitKeyValue(String kv, String flag) throws InvalidArgumentException {
    int eq = kv.indexOf('=');
    if (eq < 0) {
      throw new InvalidArgumentException(flag + ": must contain '=': " + kv);
    }
    if (eq == 0) {
      throw new InvalidArgumentException(flag + ": must have non-empty name: " + kv);
    }
    return new String[] {kv.substring(0, eq), kv.substring(eq + 1)};
  }
}
