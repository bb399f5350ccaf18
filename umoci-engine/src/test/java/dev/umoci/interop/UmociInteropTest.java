package dev.umoci.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.layer.TarBuilder;
import dev.umoci.oci.spec.Json;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layouts written by us are read by Debian's umoci and skopeo, and the reverse. */
class UmociInteropTest {
  static final String UMOCI = "/usr/bin/umoci";
  static final String SKOPEO = "/usr/bin/skopeo";

  @TempDir Path tmp;

  static boolean root() {
    try {
      return "0".equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString());
    } catch (IOException e) {
      return false;
    }
  }

  static ExternalTool.Result umoci(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(UMOCI));
    if (!root() && args.length > 0 && args[0].equals("unpack")) {
      cmd.add("unpack");
      cmd.add("--rootless");
      cmd.addAll(List.of(args).subList(1, args.length));
    } else {
      cmd.addAll(List.of(args));
    }
    return ExternalTool.run(cmd);
  }

  JsonNode ourStat(String image) throws IOException {
    String json = CliRunner.run("stat", "--json", "--image", image).assertSuccess().stdout();
    return Json.parse(json.getBytes(StandardCharsets.UTF_8), JsonNode.class, "stat");
  }

  @Test
  void debianUmociAndSkopeoReadWhatWeWrite() throws Exception {
    Interop.requireTool(UMOCI);
    Path layout = tmp.resolve("ours");
    String img = layout.toString();
    Path tar =
        new TarBuilder()
            .dir("etc/")
            .mode(0755)
            .file("etc/hello.txt", "hello from java\n")
            .mode(0644)
            .writeTo(tmp.resolve("layer.tar"));
    CliRunner.run("init", "--layout", img).assertSuccess();
    CliRunner.run("new", "--image", img + ":base").assertSuccess();
    CliRunner.run(
            "config",
            "--image",
            img + ":base",
            "--config.cmd",
            "cat",
            "--config.cmd",
            "/etc/hello.txt",
            "--author",
            "tester",
            "--config.env",
            "A=b")
        .assertSuccess();
    CliRunner.run(
            "raw", "add-layer", "--image", img + ":base", "--tag", "withlayer", tar.toString())
        .assertSuccess();
    LayoutChecks.assertValid(layout);

    String ls = umoci("ls", "--layout", img).assertSuccess().stdout();
    assertEquals(List.of("base", "withlayer"), ls.lines().sorted().toList());
    String stat = umoci("stat", "--image", img + ":withlayer").assertSuccess().stdout();
    assertTrue(stat.contains("umoci raw add-layer"), stat);
    String statJson =
        umoci("stat", "--json", "--image", img + ":withlayer").assertSuccess().stdout();
    assertTrue(statJson.contains("umoci config"), statJson);

    Path bundle = tmp.resolve("bundle");
    umoci("unpack", "--image", img + ":withlayer", bundle.toString()).assertSuccess();
    assertEquals("hello from java\n", Files.readString(bundle.resolve("rootfs/etc/hello.txt")));
    String runtimeConfig = Files.readString(bundle.resolve("config.json"));
    assertTrue(runtimeConfig.contains("/etc/hello.txt"), runtimeConfig);

    // Debian umoci can change and gc what we wrote, and we still read it.
    umoci("config", "--image", img + ":withlayer", "--config.workingdir", "/etc").assertSuccess();
    umoci("gc", "--layout", img).assertSuccess();
    assertEquals("/etc", ourStat(img + ":withlayer").at("/config/blob/config/WorkingDir").asText());
    LayoutChecks.assertValid(layout);

    // skopeo reads it too: like every interop precondition, skipped where skopeo is missing
    // (the umoci part above has run) and failed in CI.
    Interop.requireTool(SKOPEO);
    String inspect =
        ExternalTool.run(SKOPEO, "inspect", "oci:" + img + ":withlayer").assertSuccess().stdout();
    assertTrue(inspect.contains("\"Architecture\""), inspect);
    Path copy = tmp.resolve("copy");
    ExternalTool.run(SKOPEO, "copy", "oci:" + img + ":withlayer", "oci:" + copy + ":copied")
        .assertSuccess();
    LayoutChecks.assertValid(copy);
    JsonNode copied = ourStat(copy + ":copied");
    assertEquals("tester", copied.at("/config/blob/author").asText());
  }

  @Test
  void weReadChangeAndRetagWhatDebianUmociWrites() throws Exception {
    Interop.requireTool(UMOCI);
    Path layout = tmp.resolve("theirs");
    String img = layout.toString();
    Path tar =
        new TarBuilder()
            .file("from-go.txt", "go wrote this\n")
            .mode(0644)
            .writeTo(tmp.resolve("l.tar"));
    umoci("init", "--layout", img).assertSuccess();
    umoci("new", "--image", img + ":base").assertSuccess();
    umoci("config", "--image", img + ":base", "--author", "gopher", "--config.label", "k=v")
        .assertSuccess();
    umoci("raw", "add-layer", "--image", img + ":base", tar.toString()).assertSuccess();
    LayoutChecks.assertValid(layout);

    JsonNode stat = ourStat(img + ":base");
    assertEquals("gopher", stat.at("/config/blob/author").asText());
    assertEquals("umoci raw add-layer", stat.at("/history/1/created_by").asText());

    CliRunner.run(
            "config",
            "--image",
            img + ":base",
            "--config.label",
            "java=yes",
            "--manifest.annotation",
            "org.example=1",
            "--tag",
            "changed")
        .assertSuccess();
    CliRunner.run("tag", "--image", img + ":changed", "retagged").assertSuccess();
    CliRunner.run(
            "raw",
            "add-layer",
            "--image",
            img + ":retagged",
            new TarBuilder()
                .file("second.txt", "2\n")
                .mode(0600)
                .writeTo(tmp.resolve("2.tar"))
                .toString())
        .assertSuccess();
    LayoutChecks.assertValid(layout);

    String ls = umoci("ls", "--layout", img).assertSuccess().stdout();
    assertEquals(List.of("base", "changed", "retagged"), ls.lines().sorted().toList());
    String goStat = umoci("stat", "--image", img + ":retagged").assertSuccess().stdout();
    assertTrue(goStat.contains("umoci config"), goStat);
    Path bundle = tmp.resolve("bundle");
    umoci("unpack", "--image", img + ":retagged", bundle.toString()).assertSuccess();
    assertEquals("go wrote this\n", Files.readString(bundle.resolve("rootfs/from-go.txt")));
    assertEquals("2\n", Files.readString(bundle.resolve("rootfs/second.txt")));
    String config = Files.readString(bundle.resolve("config.json"));
    assertTrue(config.contains("\"java\": \"yes\"") || config.contains("\"java\":\"yes\""), config);
    umoci("gc", "--layout", img).assertSuccess();
    CliRunner.run("gc", "--layout", img).assertSuccess();
    LayoutChecks.assertValid(layout);
  }
}
