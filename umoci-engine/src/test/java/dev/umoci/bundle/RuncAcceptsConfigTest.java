package dev.umoci.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.umoci.fs.IdMapping;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.ImageConfig;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.RootFs;
import dev.umoci.oci.spec.runtime.Spec;
import dev.umoci.testing.Interop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a container from a generated config.json with the real runc, in a bundle whose rootfs holds
 * only a static binary ({@code /sbin/ldconfig}). Skipped unless runc can run its own {@code runc
 * spec} config here (root, namespaces and cgroups available); then ours must run too.
 */
class RuncAcceptsConfigTest {
  static final Path RUNC = Path.of("/usr/sbin/runc");
  static final Path STATIC_BINARY = Path.of("/sbin/ldconfig");
  static final AtomicInteger IDS = new AtomicInteger();

  @TempDir Path dir;

  private Path bundle(String name) throws IOException {
    Path bundle = dir.resolve(name);
    Files.createDirectories(bundle.resolve("rootfs/sbin"));
    Files.createDirectories(bundle.resolve("rootfs/etc"));
    Files.copy(
        STATIC_BINARY, bundle.resolve("rootfs/sbin/ldconfig"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(
        bundle.resolve("rootfs/etc/passwd"), "root:x:0:0::/root:/x\nsvc:x:1234:1234::/srv:/x\n");
    Files.writeString(bundle.resolve("rootfs/etc/group"), "svc:x:1234:\nextra:x:99:svc\n");
    return bundle;
  }

  private record Result(int exit, String output) {}

  private Result runc(Path bundle, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(RUNC.toString(), "--root", dir.resolve("state").toString()));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd).directory(bundle.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, out + "\n(timed out)");
    }
    return new Result(p.exitValue(), out);
  }

  private String containerId() {
    return "umoci-java-test-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet();
  }

  private void assumeRuncWorksHere() throws Exception {
    Interop.require(Files.isExecutable(RUNC), "runc is not installed");
    Interop.require(Files.isExecutable(STATIC_BINARY), "no static binary to run");
    Interop.require(
        "0".equals(String.valueOf(Files.getAttribute(dir, "unix:uid"))) && isRoot(), "not root");
    Path reference = bundle("reference");
    Result spec = runc(reference, "spec");
    Interop.require(spec.exit() == 0, spec.output());
    ObjectNode tree =
        (ObjectNode) Json.mapper().readTree(Files.readAllBytes(reference.resolve("config.json")));
    ObjectNode process = (ObjectNode) tree.get("process");
    process.put("terminal", false);
    process.putArray("args").add("/sbin/ldconfig").add("--version");
    Files.write(reference.resolve("config.json"), Json.mapper().writeValueAsBytes(tree));
    Result run = runc(reference, "run", containerId());
    Interop.require(run.exit() == 0, "runc cannot run containers here: " + run.output());
  }

  private static boolean isRoot() throws IOException {
    return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
  }

  private void assertRuns(String name, String user, IdMapping mapping) throws Exception {
    Path bundle = bundle(name);
    ImageConfig config =
        new ImageConfig(
            user,
            null,
            List.of("A=1"),
            List.of("/sbin/ldconfig"),
            List.of("--version"),
            java.util.Set.of("/data"),
            "/",
            null,
            null,
            null);
    Image image =
        new Image(
            "2024-01-01T00:00:00Z",
            null,
            "amd64",
            "linux",
            null,
            null,
            null,
            config,
            RootFs.layers(List.of()),
            null);
    Spec spec = new RuntimeConfigGenerator().generate(image, bundle.resolve("rootfs"), mapping);
    // umoci's template asks for a terminal; a test has none to give, everything else is unchanged.
    spec = spec.withProcess(spec.process().withTerminal(false));
    RuntimeConfigFile.write(bundle.resolve("config.json"), spec);
    Result run = runc(bundle, "run", containerId());
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("ldconfig"), run.output());
  }

  @Test
  void runcRunsAGeneratedConfig() throws Exception {
    assumeRuncWorksHere();
    assertRuns("plain", "svc", IdMapping.identity());
  }

  @Test
  void runcRunsARootlessConfig() throws Exception {
    assumeRuncWorksHere();
    assertRuns("rootless", "", IdMapping.of(List.of(), List.of(), true));
  }
}
