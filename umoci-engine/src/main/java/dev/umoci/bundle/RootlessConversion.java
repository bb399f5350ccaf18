package dev.umoci.bundle;

import dev.umoci.oci.spec.runtime.Linux;
import dev.umoci.oci.spec.runtime.Mount;
import dev.umoci.oci.spec.runtime.Namespace;
import dev.umoci.oci.spec.runtime.Spec;
import dev.umoci.oci.spec.runtime.User;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * umoci's {@code ToRootless} conversion of a runtime config.
 *
 * <p>One intended difference from umoci 0.5+: when the host has no {@code /etc/resolv.conf}, umoci
 * forgets the whole mount rewrite (its {@code spec.Mounts = mounts} sits inside the branch that
 * adds the resolv.conf bind); here the mounts are still rewritten and only the resolv.conf bind is
 * left out, with the same warning.
 */
final class RootlessConversion {
  private static final Logger LOG = LoggerFactory.getLogger(RootlessConversion.class);

  private final HostResolvConf resolvConf;

  RootlessConversion(HostResolvConf resolvConf) {
    this.resolvConf = resolvConf;
  }

  Spec apply(Spec spec) throws IOException {
    User user = spec.process().user();
    spec =
        spec.withProcess(
            spec.process().withUser(new User(user.uid(), user.gid(), user.umask(), null)));

    Linux linux = spec.linux();
    List<Namespace> namespaces = new ArrayList<>();
    for (Namespace ns : linux.namespaces()) {
      if (!Namespace.NETWORK.equals(ns.type()) && !Namespace.USER.equals(ns.type())) {
        namespaces.add(ns);
      }
    }
    namespaces.add(Namespace.of(Namespace.USER));
    linux = linux.withNamespaces(namespaces).withResources(null);

    List<Mount> mounts = new ArrayList<>();
    for (Mount mount : spec.mounts()) {
      if (mount.destination().startsWith("/sys")) {
        continue;
      }
      List<String> options = new ArrayList<>();
      for (String option : mount.options()) {
        if (!option.startsWith("gid=") && !option.startsWith("uid=")) {
          options.add(option);
        }
      }
      mounts.add(mount.withOptions(options));
    }
    mounts.add(
        new Mount("/sys", "bind", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
    Optional<List<String>> locked = resolvConf.lockedOptions();
    if (locked.isPresent()) {
      List<String> options = new ArrayList<>(locked.get());
      options.add("rbind");
      options.add("ro");
      String path = HostResolvConf.PATH.toString();
      mounts.add(new Mount(path, "bind", path, options));
    } else {
      LOG.warn(
          "rootless configuration: automatic bind-mount for \"{}\" cannot be added as the source"
              + " doesn't exist",
          HostResolvConf.PATH);
    }
    return spec.withMounts(mounts).withLinux(linux);
  }
}
