package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.bundle.BundlePaths;
import dev.umoci.bundle.RuntimeConfigFile;
import dev.umoci.layer.Compression;
import dev.umoci.layer.TarBuilder;
import dev.umoci.mtree.Keywords;
import dev.umoci.mtree.MtreeCompare;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.ImageConfig;
import dev.umoci.oci.spec.runtime.Spec;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code raw unpack}, {@code raw runtime-config} and {@code raw mtree-validate} end to end. */
class RawUnpackCommandsTest {
  @TempDir Path tmp;
  Path layout;
  Descriptor manifest;

  @BeforeEach
  void image() throws Exception {
    layout = tmp.resolve("layout");
    ImageConfig config =
        new ImageConfig(
            "alice", null, null, null, List.of("id"), null, "/home/a", null, null, null);
    manifest =
        new TestImages()
            .layer(
                new TarBuilder()
                    .dir("etc/")
                    .file(
                        "etc/passwd",
                        "root:x:0:0::/root:/bin/sh\nalice:x:1000:1001::/home/a:/bin/sh\n")
                    .file("etc/group", "root:x:0:\nstaff:x:1001:\nextra:x:1002:alice\n")
                    .dir("home/a/")
                    .build(),
                Compression.GZIP)
            .config(config)
            .write(layout, "t");
  }

  @AfterEach
  void layoutStaysValid() {
    LayoutChecks.assertValid(layout);
  }

  @Test
  void rawUnpackWritesOnlyTheRootfs() throws Exception {
    Path rootfs = tmp.resolve("out/rootfs");
    CliRunner.run("raw", "unpack", "--image", layout + ":t", rootfs.toString()).assertSuccess();
    assertTrue(Files.isRegularFile(rootfs.resolve("etc/passwd")));
    try (var list = Files.list(rootfs.getParent())) {
      assertEquals(List.of(rootfs), list.toList(), "no config.json, mtree or umoci.json");
    }
    // Like umoci, raw unpack applies the layers over an existing rootfs.
    Files.writeString(rootfs.resolve("mine"), "kept");
    CliRunner.run("raw", "unpack", "--image", layout + ":t", rootfs.toString()).assertSuccess();
    assertEquals("kept", Files.readString(rootfs.resolve("mine")));
  }

  @Test
  void rawRuntimeConfigWithAndWithoutRootfs() throws Exception {
    Path rootfs = tmp.resolve("rootfs");
    CliRunner.run("raw", "unpack", "--image", layout + ":t", rootfs.toString()).assertSuccess();

    Path with = tmp.resolve("with.json");
    CliRunner.run(
            "raw",
            "runtime-config",
            "--rootfs",
            rootfs.toString(),
            "--image",
            layout + ":t",
            with.toString())
        .assertSuccess();
    Spec resolved = RuntimeConfigFile.read(with);
    assertEquals(1000, resolved.process().user().uid());
    assertEquals(1001, resolved.process().user().gid());
    assertEquals(List.of(1002L), resolved.process().user().additionalGids());
    assertEquals("rootfs", resolved.root().path());
    assertEquals(List.of("id"), resolved.process().args());

    Path without = tmp.resolve("without.json");
    CliRunner.run("raw", "config", "--image", layout + ":t", without.toString()).assertSuccess();
    Spec unresolved = RuntimeConfigFile.read(without);
    assertEquals(0, unresolved.process().user().uid(), "a user name without a rootfs is root");
    assertEquals(".", unresolved.root().path());

    Path rootless = tmp.resolve("rootless.json");
    CliRunner.run(
            "raw", "runtime-config", "--rootless", "--image", layout + ":t", rootless.toString())
        .assertSuccess();
    Spec r = RuntimeConfigFile.read(rootless);
    assertTrue(r.linux().namespaces().stream().anyMatch(n -> n.type().equals("user")));
    assertFalse(r.linux().namespaces().stream().anyMatch(n -> n.type().equals("network")));
    assertEquals(1, r.linux().uidMappings().size());
  }

  @Test
  void mtreeValidateOnABundle() throws Exception {
    Path bundle = tmp.resolve("bundle");
    CliRunner.run("unpack", "--image", layout + ":t", bundle.toString()).assertSuccess();
    Path mtree = new BundlePaths(bundle).mtree(manifest.digest());
    Path rootfs = bundle.resolve("rootfs");
    CliRunner.Result ok =
        CliRunner.run("raw", "mtree-validate", "-f", mtree.toString(), "-p", rootfs.toString());
    assertEquals(0, ok.exitCode(), ok.stderr());
    assertEquals("", ok.stdout());
    assertEquals("", ok.stderr());

    Files.writeString(rootfs.resolve("etc/group"), "changed\n");
    CliRunner.Result changed =
        CliRunner.run(
            "raw", "mtree-validate", "--manifest", mtree.toString(), "--path", rootfs.toString());
    assertEquals(1, changed.exitCode());
    assertEquals(
        List.of(), MtreeCompare.check(rootfs, MtreeSpec.read(mtree), List.of("type", "mode")));
    assertTrue(changed.stdout().contains("etc/group"), changed.stdout());
    assertEquals(
        MtreeCompare.check(rootfs, MtreeSpec.read(mtree), Keywords.UMOCI).size(),
        changed.stdout().lines().count());
    assertEquals(
        "umoci: validation failed: " + changed.stdout().lines().count() + " differences found",
        changed.stderr().strip());

    // Only the keywords asked for are compared: a content change goes unseen with -k type,mode.
    CliRunner.Result typeMode =
        CliRunner.run(
            "raw",
            "mtree-validate",
            "-k",
            "type,mode",
            "-f",
            mtree.toString(),
            "-p",
            rootfs.toString());
    assertEquals(0, typeMode.exitCode(), typeMode.stdout() + typeMode.stderr());
    CliRunner.Result added =
        CliRunner.run(
            "raw",
            "mtree-validate",
            "-k",
            "type",
            "-K",
            "sha256",
            "-f",
            mtree.toString(),
            "-p",
            rootfs.toString());
    assertEquals(1, added.exitCode());
    CliRunner.Result help = CliRunner.run("raw", "--help");
    assertFalse(help.stdout().contains("mtree-validate"), "hidden like umoci: " + help.stdout());
    assertTrue(help.stdout().contains("runtime-config"), help.stdout());
  }
}
