package dev.umoci.bundle;

import dev.umoci.oci.spec.runtime.Capabilities;
import dev.umoci.oci.spec.runtime.DeviceCgroup;
import dev.umoci.oci.spec.runtime.Linux;
import dev.umoci.oci.spec.runtime.Mount;
import dev.umoci.oci.spec.runtime.Namespace;
import dev.umoci.oci.spec.runtime.Process;
import dev.umoci.oci.spec.runtime.Resources;
import dev.umoci.oci.spec.runtime.Rlimit;
import dev.umoci.oci.spec.runtime.Root;
import dev.umoci.oci.spec.runtime.Spec;
import dev.umoci.oci.spec.runtime.User;
import java.util.List;

/**
 * umoci's template {@code config.json} ({@code oci/config/convert/default.go Example()}): a shell
 * with a terminal, three capabilities, the usual pseudo-filesystem mounts, runc's masked and
 * read-only paths, a deny-all device cgroup and new cgroup, pid, network, ipc, uts and mount
 * namespaces.
 */
public final class DefaultRuntimeSpec {
  private DefaultRuntimeSpec() {}

  /** The default PATH of the template process. */
  public static final String DEFAULT_PATH =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** A fresh copy of the template. */
  public static Spec example() {
    List<String> caps = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
    Process process =
        new Process(
            true,
            new User(0, 0, null, null),
            List.of("sh"),
            List.of(DEFAULT_PATH, "TERM=xterm"),
            "/",
            Capabilities.all(caps),
            List.of(new Rlimit("RLIMIT_NOFILE", 1024, 1024)),
            true);
    List<Mount> mounts =
        List.of(
            new Mount("/proc", "proc", "proc", null),
            new Mount(
                "/dev",
                "tmpfs",
                "tmpfs",
                List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
            new Mount(
                "/dev/pts",
                "devpts",
                "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
            new Mount(
                "/dev/shm",
                "tmpfs",
                "shm",
                List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
            new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
            new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
            new Mount(
                "/sys/fs/cgroup",
                "cgroup",
                "cgroup",
                List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
    Linux linux =
        new Linux(
            null,
            null,
            new Resources(List.of(DeviceCgroup.denyAll("rwm"))),
            List.of(
                Namespace.of(Namespace.CGROUP),
                Namespace.of(Namespace.PID),
                Namespace.of(Namespace.NETWORK),
                Namespace.of(Namespace.IPC),
                Namespace.of(Namespace.UTS),
                Namespace.of(Namespace.MOUNT)),
            List.of(
                "/proc/kcore",
                "/proc/latency_stats",
                "/proc/timer_list",
                "/proc/timer_stats",
                "/proc/sched_debug",
                "/sys/firmware",
                "/proc/scsi"),
            List.of(
                "/proc/asound",
                "/proc/bus",
                "/proc/fs",
                "/proc/irq",
                "/proc/sys",
                "/proc/sysrq-trigger"));
    return new Spec(
        Spec.VERSION, process, new Root("rootfs", false), "umoci-default", mounts, null, linux);
  }
}
