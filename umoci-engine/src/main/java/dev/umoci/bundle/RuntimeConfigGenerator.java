package dev.umoci.bundle;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.fs.IdMap;
import dev.umoci.fs.IdMapping;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.ImageConfig;
import dev.umoci.oci.spec.Rfc3339;
import dev.umoci.oci.spec.runtime.LinuxIdMapping;
import dev.umoci.oci.spec.runtime.Namespace;
import dev.umoci.oci.spec.runtime.Process;
import dev.umoci.oci.spec.runtime.Root;
import dev.umoci.oci.spec.runtime.Spec;
import dev.umoci.oci.spec.runtime.User;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts an image config into a runtime-spec {@code config.json} the way umoci does ({@code
 * oci/config/convert} + {@code layer.UnpackRuntimeJSON}), starting from {@link
 * DefaultRuntimeSpec#example()}:
 *
 * <ul>
 *   <li>only {@code os == linux}; {@code root.path} is the rootfs directory's base name ({@code .}
 *       without a rootfs); {@code cwd} is {@code WorkingDir} or {@code /};
 *   <li>image env replaces template variables of the same name, else is appended; {@code args} is
 *       {@code Entrypoint ++ Cmd} when that is non-empty;
 *   <li>annotations {@code org.opencontainers.image.{os,architecture,variant,author,created,
 *       stopSignal,exposedPorts}} (empty ones left out), then {@code Labels}, which win;
 *   <li>{@code User} resolved through the rootfs's passwd and group ({@link UserResolver}); without
 *       a rootfs a user that cannot be resolved becomes root:root with a warning; {@code HOME} from
 *       passwd is added only when the env has none;
 *   <li>every volume (sorted) becomes a tmpfs mount;
 *   <li>with id maps, a user namespace and the maps; with {@code rootless}, {@link #toRootless}.
 * </ul>
 */
public final class RuntimeConfigGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeConfigGenerator.class);

  static final String ANNOTATION_OS = "org.opencontainers.image.os";
  static final String ANNOTATION_ARCH = "org.opencontainers.image.architecture";
  static final String ANNOTATION_VARIANT = "org.opencontainers.image.variant";
  static final String ANNOTATION_AUTHOR = "org.opencontainers.image.author";
  static final String ANNOTATION_CREATED = "org.opencontainers.image.created";
  static final String ANNOTATION_STOP_SIGNAL = "org.opencontainers.image.stopSignal";
  static final String ANNOTATION_EXPOSED_PORTS = "org.opencontainers.image.exposedPorts";

  private static final List<String> VOLUME_OPTIONS =
      List.of("rw", "nosuid", "nodev", "noexec", "relatime");

  private final RootlessConversion rootless;

  /** A generator that inspects the host's {@code /etc/resolv.conf} for rootless configs. */
  public RuntimeConfigGenerator() {
    this(new RootlessConversion(HostResolvConf.HOST));
  }

  RuntimeConfigGenerator(RootlessConversion rootless) {
    this.rootless = rootless;
  }

  /**
   * The runtime config for {@code image}. {@code rootfs} (may be null) is the unpacked root
   * filesystem used to resolve {@code Config.User}; with a rootfs, a user that cannot be resolved
   * is an {@link InvalidImageException}. {@code mapping} null means no id mapping.
   */
  public Spec generate(Image image, Path rootfs, IdMapping mapping) throws IOException {
    if (!"linux".equals(image.os())) {
      throw new InvalidImageException(
          "unsupported OS: " + (image.os() == null ? "" : image.os()) + " (only linux images)");
    }
    ImageConfig config = image.config();
    Spec spec = DefaultRuntimeSpec.example();
    Process process = spec.process().withTerminal(true);
    spec = spec.withRoot(new Root(goBase(rootfs), false));

    String workingDir = config.workingDir();
    process = process.withCwd(workingDir == null || workingDir.isEmpty() ? "/" : workingDir);

    List<String> env = new ArrayList<>(process.env());
    for (String entry : nullToEmpty(config.env())) {
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new InvalidImageException(
            "image config Env: environment variable must contain '=': " + entry);
      }
      if (eq == 0) {
        throw new InvalidImageException(
            "image config Env: environment variable must have non-empty name: " + entry);
      }
      appendEnv(env, entry.substring(0, eq), entry.substring(eq + 1), true);
    }

    List<String> args = new ArrayList<>(nullToEmpty(config.entrypoint()));
    args.addAll(nullToEmpty(config.cmd()));
    if (!args.isEmpty()) {
      process = process.withArgs(args);
    }

    Map<String, String> annotations = new TreeMap<>(spec.annotations());
    setAnnotation(annotations, ANNOTATION_OS, image.os());
    setAnnotation(annotations, ANNOTATION_ARCH, image.architecture());
    setAnnotation(annotations, ANNOTATION_VARIANT, image.variant());
    setAnnotation(annotations, ANNOTATION_AUTHOR, image.author());
    setAnnotation(annotations, ANNOTATION_CREATED, goCreated(image.created()));
    setAnnotation(annotations, ANNOTATION_STOP_SIGNAL, config.stopSignal());
    setAnnotation(
        annotations,
        ANNOTATION_EXPOSED_PORTS,
        String.join(",", new TreeSet<>(nullToEmpty(config.exposedPorts()))));
    if (config.labels() != null) {
      annotations.putAll(config.labels());
    }
    spec = spec.withAnnotations(annotations);

    ExecUser user = resolveUser(config.user(), rootfs);
    List<Long> additionalGids = new ArrayList<>();
    for (long gid : user.additionalGids()) {
      additionalGids.add(uint32(gid));
    }
    process =
        process.withUser(new User(uint32(user.uid()), uint32(user.gid()), null, additionalGids));
    if (!user.home().isEmpty()) {
      appendEnv(env, "HOME", user.home(), false);
    }
    process = process.withEnv(env);
    spec = spec.withProcess(process);

    List<dev.umoci.oci.spec.runtime.Mount> mounts = new ArrayList<>(spec.mounts());
    for (String volume : new TreeSet<>(nullToEmpty(config.volumes()))) {
      mounts.add(new dev.umoci.oci.spec.runtime.Mount(volume, "tmpfs", "none", VOLUME_OPTIONS));
    }
    spec = spec.withMounts(mounts);

    if (mapping != null) {
      spec = applyMapping(spec, mapping);
    }
    return spec;
  }

  /** Adds the id maps (and a user namespace when there are any), then the rootless changes. */
  private Spec applyMapping(Spec spec, IdMapping mapping) throws IOException {
    if (!mapping.uidMaps().isEmpty() || !mapping.gidMaps().isEmpty()) {
      List<Namespace> namespaces = new ArrayList<>();
      for (Namespace ns : spec.linux().namespaces()) {
        if (!Namespace.USER.equals(ns.type())) {
          namespaces.add(ns);
        }
      }
      namespaces.add(Namespace.of(Namespace.USER));
      spec = spec.withLinux(spec.linux().withNamespaces(namespaces));
    }
    spec =
        spec.withLinux(
            spec.linux()
                .withIdMappings(runtimeMaps(mapping.uidMaps()), runtimeMaps(mapping.gidMaps())));
    if (mapping.rootless()) {
      spec = rootless.apply(spec);
    }
    return spec;
  }

  /**
   * umoci's {@code ToRootless}: no additional gids, no network namespace, a single trailing user
   * namespace, no mounts under {@code /sys} (a string prefix, as umoci), no {@code uid=}/{@code
   * gid=} mount options, a read-only rbind of {@code /sys}, an rbind of the host's {@code
   * /etc/resolv.conf} and no {@code linux.resources}.
   */
  public Spec toRootless(Spec spec) throws IOException {
    return rootless.apply(spec);
  }

  private static ExecUser resolveUser(String userSpec, Path rootfs) throws IOException {
    if (rootfs != null) {
      return UserResolver.resolve(userSpec, rootfs);
    }
    try {
      return UserResolver.resolve(userSpec, UserResolver.Databases.none());
    } catch (InvalidImageException e) {
      LOG.warn(
          "could not parse user spec \"{}\" without a rootfs -- defaulting to root:root", userSpec);
      return ExecUser.root();
    }
  }

  private static List<LinuxIdMapping> runtimeMaps(List<IdMap> maps) {
    List<LinuxIdMapping> out = new ArrayList<>();
    for (IdMap m : maps) {
      out.add(new LinuxIdMapping(m.containerId(), m.hostId(), m.size()));
    }
    return out;
  }

  /** {@code appendEnv}: replaces the first {@code name=} entry (when clobbering) or appends. */
  static void appendEnv(List<String> env, String name, String value, boolean clobber) {
    String prefix = name + "=";
    for (int i = 0; i < env.size(); i++) {
      if (env.get(i).startsWith(prefix)) {
        if (clobber) {
          env.set(i, prefix + value);
        }
        return;
      }
    }
    env.add(prefix + value);
  }

  private static void setAnnotation(Map<String, String> annotations, String key, String value) {
    if (value == null || value.isEmpty()) {
      annotations.remove(key);
    } else {
      annotations.put(key, value);
    }
  }

  /** Go's {@code filepath.Base} of the rootfs argument ({@code "."} when there is none). */
  static String goBase(Path rootfs) {
    if (rootfs == null || rootfs.toString().isEmpty()) {
      return ".";
    }
    Path name = rootfs.getFileName();
    return name == null ? "/" : name.toString();
  }

  /**
   * {@code created} as umoci re-formats it: parsed, then written with Go's {@code time.RFC3339Nano}
   * in its own offset ({@code Z} for zero, trailing fraction zeros dropped). An absent time is Go's
   * zero time {@code 0001-01-01T00:00:00Z}.
   */
  static String goCreated(String created) throws InvalidImageException {
    if (created == null || created.isEmpty()) {
      return "0001-01-01T00:00:00Z";
    }
    OffsetDateTime t;
    try {
      t = OffsetDateTime.parse(created, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw new InvalidImageException(
          "image config: created " + '"' + created + '"' + " is not an RFC 3339 time");
    }
    return Rfc3339.format(t);
  }

  private static long uint32(long id) {
    return id & 0xffffffffL;
  }

  private static <T> java.util.Collection<T> nullToEmpty(java.util.Collection<T> c) {
    return c == null ? List.of() : c;
  }
}
