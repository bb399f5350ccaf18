package dev.umoci.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.fs.IdMap;
import dev.umoci.fs.IdMapping;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.ImageConfig;
import dev.umoci.oci.spec.RootFs;
import dev.umoci.oci.spec.runtime.Mount;
import dev.umoci.oci.spec.runtime.Namespace;
import dev.umoci.oci.spec.runtime.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeConfigGeneratorTest {
  @TempDir Path dir;

  private static ImageConfig config(String user, List<String> env, Map<String, String> labels) {
    return new ImageConfig(user, null, env, null, null, null, null, labels, null, null);
  }

  private static Image image(String os, String created, ImageConfig config) {
    return new Image(
        created, null, "arm64", os, null, null, "v8", config, RootFs.layers(List.of()), null);
  }

  private static final RuntimeConfigGenerator NO_RESOLV_CONF =
      new RuntimeConfigGenerator(new RootlessConversion(Optional::empty));

  @Test
  void onlyLinuxImages() {
    InvalidImageException e =
        assertThrows(
            InvalidImageException.class,
            () ->
                NO_RESOLV_CONF.generate(
                    image("windows", null, ImageConfig.empty()), null, IdMapping.identity()));
    assertTrue(e.getMessage().contains("unsupported OS: windows"), e.getMessage());
  }

  @Test
  void malformedEnvIsAnError() {
    assertThrows(
        InvalidImageException.class,
        () ->
            NO_RESOLV_CONF.generate(
                image("linux", null, config(null, List.of("NOEQUALS"), null)), null, null));
    assertThrows(
        InvalidImageException.class,
        () ->
            NO_RESOLV_CONF.generate(
                image("linux", null, config(null, List.of("=value"), null)), null, null));
  }

  @Test
  void envMergesByNameFirstMatchReplaced() throws Exception {
    Spec spec =
        NO_RESOLV_CONF.generate(
            image("linux", null, config(null, List.of("TERM=dumb", "A=1", "A=2", "B=x=y"), null)),
            null,
            null);
    assertEquals(
        List.of(DefaultRuntimeSpec.DEFAULT_PATH, "TERM=dumb", "A=2", "B=x=y"),
        spec.process().env());
  }

  @Test
  void annotationsVariantCreatedAndLabelsWin() throws Exception {
    Spec spec =
        NO_RESOLV_CONF.generate(
            image(
                "linux",
                "2024-01-02T03:04:05.500000000+02:00",
                config(null, null, Map.of("org.opencontainers.image.variant", "label", "k", "v"))),
            null,
            null);
    assertEquals(
        Map.of(
            "org.opencontainers.image.os", "linux",
            "org.opencontainers.image.architecture", "arm64",
            "org.opencontainers.image.variant", "label",
            "org.opencontainers.image.created", "2024-01-02T03:04:05.5+02:00",
            "k", "v"),
        spec.annotations());
  }

  @Test
  void createdIsReformattedLikeGo() throws Exception {
    assertEquals("0001-01-01T00:00:00Z", RuntimeConfigGenerator.goCreated(null));
    assertEquals(
        "2024-01-02T03:04:05Z", RuntimeConfigGenerator.goCreated("2024-01-02T03:04:05.000+00:00"));
    assertEquals(
        "2024-01-02T03:04:05.123456789-07:30",
        RuntimeConfigGenerator.goCreated("2024-01-02T03:04:05.123456789-07:30"));
    assertThrows(InvalidImageException.class, () -> RuntimeConfigGenerator.goCreated("yesterday"));
  }

  @Test
  void homeFromPasswdOnlyWhenEnvHasNone() throws Exception {
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/passwd"), "u:x:5:6::/home/u:/bin/sh\n");
    Spec appended =
        NO_RESOLV_CONF.generate(image("linux", null, config("u", null, null)), rootfs, null);
    assertEquals("HOME=/home/u", appended.process().env().get(2));
    Spec kept =
        NO_RESOLV_CONF.generate(
            image("linux", null, config("u", List.of("HOME=/mine"), null)), rootfs, null);
    assertEquals(
        List.of(DefaultRuntimeSpec.DEFAULT_PATH, "TERM=xterm", "HOME=/mine"), kept.process().env());
    assertEquals(5, kept.process().user().uid());
    assertEquals(6, kept.process().user().gid());
    assertEquals("rootfs", kept.root().path());
  }

  @Test
  void unresolvableUserWithoutRootfsIsRoot() throws Exception {
    Spec spec =
        NO_RESOLV_CONF.generate(
            image("linux", null, config("alice:staff", null, null)), null, null);
    assertEquals(0, spec.process().user().uid());
    assertEquals(0, spec.process().user().gid());
    assertEquals(".", spec.root().path());
  }

  @Test
  void volumesBecomeSortedTmpfsMounts() throws Exception {
    ImageConfig cfg =
        new ImageConfig(null, null, null, null, null, Set.of("/z", "/a"), null, null, null, null);
    Spec spec = NO_RESOLV_CONF.generate(image("linux", null, cfg), null, null);
    List<Mount> mounts = spec.mounts();
    assertEquals(
        new Mount("/a", "tmpfs", "none", List.of("rw", "nosuid", "nodev", "noexec", "relatime")),
        mounts.get(mounts.size() - 2));
    assertEquals("/z", mounts.get(mounts.size() - 1).destination());
  }

  @Test
  void idMapsAddOneUserNamespace() throws Exception {
    IdMapping mapping = new IdMapping(List.of(new IdMap(0, 1000, 10)), List.of(), false);
    Spec spec = NO_RESOLV_CONF.generate(image("linux", null, ImageConfig.empty()), null, mapping);
    List<String> types = spec.linux().namespaces().stream().map(Namespace::type).toList();
    assertEquals(List.of("cgroup", "pid", "network", "ipc", "uts", "mount", "user"), types);
    assertEquals(1000, spec.linux().uidMappings().get(0).hostId());
    assertTrue(spec.linux().gidMappings().isEmpty());
    assertEquals(1, spec.linux().resources().devices().size());
  }

  @Test
  void rootlessWithLockedResolvConfFlags() throws Exception {
    RuntimeConfigGenerator gen =
        new RuntimeConfigGenerator(
            new RootlessConversion(() -> Optional.of(List.of("ro", "nosuid"))));
    IdMapping mapping =
        new IdMapping(List.of(new IdMap(0, 1000, 1)), List.of(new IdMap(0, 1000, 1)), true);
    Spec spec = gen.generate(image("linux", null, ImageConfig.empty()), null, mapping);
    assertEquals(
        new Mount(
            "/etc/resolv.conf", "bind", "/etc/resolv.conf", List.of("ro", "nosuid", "rbind", "ro")),
        spec.mounts().get(spec.mounts().size() - 1));
    Mount devPts =
        spec.mounts().stream().filter(m -> m.destination().equals("/dev/pts")).findFirst().get();
    assertFalse(devPts.options().contains("gid=5"));
    assertNull(spec.linux().resources());
    List<String> types = spec.linux().namespaces().stream().map(Namespace::type).toList();
    assertEquals(List.of("cgroup", "pid", "ipc", "uts", "mount", "user"), types);
  }

  @Test
  void rootlessWithoutResolvConfStillRewritesMounts() throws Exception {
    IdMapping mapping =
        new IdMapping(List.of(new IdMap(0, 1000, 1)), List.of(new IdMap(0, 1000, 1)), true);
    Spec spec = NO_RESOLV_CONF.generate(image("linux", null, ImageConfig.empty()), null, mapping);
    Mount last = spec.mounts().get(spec.mounts().size() - 1);
    assertEquals(
        new Mount("/sys", "bind", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")),
        last);
    assertEquals(1, spec.mounts().stream().filter(m -> m.destination().startsWith("/sys")).count());
  }

  @Test
  void lockedFlagNamesFollowUmociMasks() {
    assertEquals(
        List.of("ro", "nodev", "noexec", "nosuid"), LockedMountFlags.options(1 | 2 | 4 | 8));
    // ST_RELATIME (4096) is not the MS_RELATIME mask umoci tests, so it never shows.
    assertEquals(List.of("noatime", "nodiratime"), LockedMountFlags.options(1024 | 2048 | 4096));
  }

  @Test
  void hostResolvConfFlagsAreReadable() throws Exception {
    if (Files.exists(HostResolvConf.PATH)) {
      List<String> options = LockedMountFlags.of(HostResolvConf.PATH);
      assertFalse(options.contains("relatime"));
    }
    assertThrows(java.io.IOException.class, () -> LockedMountFlags.of(dir.resolve("missing")));
  }

  @Test
  void goBaseOfRootfs() {
    assertEquals(".", RuntimeConfigGenerator.goBase(null));
    assertEquals("/", RuntimeConfigGenerator.goBase(Path.of("/")));
    assertEquals("rootfs", RuntimeConfigGenerator.goBase(Path.of("bundle/rootfs/")));
  }
}
