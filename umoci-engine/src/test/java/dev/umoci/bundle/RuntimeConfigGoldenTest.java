package dev.umoci.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.fs.IdMap;
import dev.umoci.fs.IdMapping;
import dev.umoci.oci.spec.GoJson;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.runtime.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden comparison with Debian's umoci 0.4.7: the same image goes through {@code umoci unpack} /
 * {@code umoci raw runtime-config} and through {@link RuntimeConfigGenerator}. The 0.4.7 output is
 * turned into the umoci 0.6/HEAD output by the explicit, intended differences in {@link Diff}, each
 * of which first checks that 0.4.7 really shows it; what remains must be byte-identical to ours.
 */
class RuntimeConfigGoldenTest {
  static final String PASSWD =
      String.join(
          "\n",
          "root:x:0:0:root:/root:/bin/sh",
          "alice:x:1000:1000:Alice:/home/alice:/bin/sh",
          "bob:x:1001:100::/home/bob:/bin/sh",
          "");
  static final String GROUP =
      String.join(
          "\n",
          "root:x:0:",
          "users:x:100:alice",
          "alice:x:1000:",
          "# audio:x:7:alice",
          "audio:x:29:bob,alice",
          "staff:x:50:bob",
          "");

  @TempDir Path dir;
  Path layout;

  @BeforeEach
  void buildImage() throws Exception {
    GoUmoci.assumeInstalled();
    layout = dir.resolve("layout");
    GoUmoci.run(dir, "init", "--layout", layout.toString());
    GoUmoci.run(dir, "new", "--image", layout + ":t");
    Map<String, String> files = new LinkedHashMap<>();
    files.put("etc/", "");
    files.put("etc/passwd", PASSWD);
    files.put("etc/group", GROUP);
    files.put("home/", "");
    files.put("home/alice/", "");
    Path tar = dir.resolve("layer.tar");
    GoUmoci.writeTar(tar, files);
    GoUmoci.run(dir, "raw", "add-layer", "--image", layout + ":t", tar.toString());
  }

  private void config(String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("config", "--image", layout + ":t"));
    args.addAll(List.of(flags));
    GoUmoci.run(dir, args.toArray(String[]::new));
  }

  /** {@code umoci unpack [flags]} into a new bundle; returns the bundle. */
  private Path goUnpack(String name, String... flags) throws Exception {
    Path bundle = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("unpack"));
    args.addAll(List.of(flags));
    args.addAll(List.of("--image", layout + ":t", bundle.toString()));
    GoUmoci.run(dir, args.toArray(String[]::new));
    return bundle;
  }

  /** {@code umoci raw runtime-config [--rootfs R]}; returns the written file. */
  private Path goRawConfig(Path rootfs) throws Exception {
    Path out = Files.createTempFile(dir, "config", ".json");
    List<String> args = new ArrayList<>(List.of("raw", "runtime-config", "--image", layout + ":t"));
    if (rootfs != null) {
      args.addAll(List.of("--rootfs", rootfs.toString()));
    }
    args.add(out.toString());
    GoUmoci.run(dir, args.toArray(String[]::new));
    return out;
  }

  private Image image() throws IOException {
    return GoUmoci.imageConfig(layout, "t");
  }

  /**
   * The check: our bytes equal 0.4.7's config.json after the listed differences; and our JSON
   * layout reproduces 0.4.7's file byte for byte when fed its own tree.
   */
  private JsonNode assertMatches(Path goConfigJson, Spec ours, Set<Diff> differences)
      throws IOException {
    byte[] goBytes = Files.readAllBytes(goConfigJson);
    JsonNode goTree = Json.mapper().readTree(goBytes);
    assertEquals(
        new String(goBytes, StandardCharsets.UTF_8),
        new String(GoJson.encodeIndented(goTree), StandardCharsets.UTF_8),
        "GoJson must lay out JSON exactly as Go's json.Encoder with SetIndent(\"\", \"\\t\")");
    ObjectNode expected = goTree.deepCopy();
    Image image = image();
    for (Diff d : Diff.values()) {
      if (differences.contains(d)) {
        d.apply(expected, image);
      }
    }
    assertEquals(
        new String(GoJson.encodeIndented(expected), StandardCharsets.UTF_8),
        new String(RuntimeConfigFile.toBytes(ours), StandardCharsets.UTF_8));
    return expected;
  }

  private static final Set<Diff> ALWAYS =
      Set.of(Diff.OCI_VERSION, Diff.CGROUP_NAMESPACE, Diff.EMPTY_ANNOTATIONS);

  private static Set<Diff> always(Diff... more) {
    Set<Diff> out = new java.util.HashSet<>(ALWAYS);
    out.addAll(List.of(more));
    return out;
  }

  @Test
  void fullConfigUnpackedWithNamedUser() throws Exception {
    config(
        "--config.user=alice",
        "--config.env=FOO=bar",
        "--config.env=PATH=/opt/bin",
        "--config.env=HOME=/custom-home",
        "--config.entrypoint=/bin/app",
        "--config.entrypoint=--serve",
        "--config.cmd=--flag",
        "--config.cmd=x y",
        "--config.workingdir=/work",
        "--config.volume=/data",
        "--config.volume=/cache",
        "--config.volume=/var/lib/x",
        "--config.exposedports=8080/tcp",
        "--config.exposedports=53/udp",
        "--config.label=x=y<&>",
        "--config.label=org.opencontainers.image.author=from-label",
        "--config.stopsignal=SIGTERM",
        "--author=me");
    Path bundle = goUnpack("bundle");
    Spec ours =
        new RuntimeConfigGenerator()
            .generate(image(), bundle.resolve("rootfs"), IdMapping.identity());
    JsonNode expected =
        assertMatches(
            bundle.resolve("config.json"),
            ours,
            always(Diff.LABELS_WIN, Diff.HOME_FROM_IMAGE_ENV_WINS, Diff.VOLUME_ORDER));
    assertEquals(List.of(100L, 29L), ours.process().user().additionalGids());
    assertEquals(1000, expected.at("/process/user/uid").asInt());
    assertTrue(ours.process().env().contains("HOME=/custom-home"));
    assertTrue(ours.process().env().contains("PATH=/opt/bin"));
    assertEquals(List.of("/bin/app", "--serve", "--flag", "x y"), ours.process().args());
    assertEquals(
        "53/udp,8080/tcp", ours.annotations().get(RuntimeConfigGenerator.ANNOTATION_EXPOSED_PORTS));
    // The file on disk is what RuntimeConfigFile writes.
    Path written = dir.resolve("ours.json");
    RuntimeConfigFile.write(written, ours);
    assertEquals(ours, RuntimeConfigFile.read(written));
  }

  @Test
  void userSpecsResolvedAgainstTheRootfs() throws Exception {
    Path rootfs = goUnpack("bundle").resolve("rootfs");
    for (String user :
        List.of("alice", "1000", "bob:staff", "1001:29", "alice:4242", "", "root", "777")) {
      config("--config.user=" + user);
      Spec ours = new RuntimeConfigGenerator().generate(image(), rootfs, null);
      assertMatches(goRawConfig(rootfs), ours, ALWAYS);
    }
  }

  @Test
  void unknownUserWithARootfsFailsLikeUmoci() throws Exception {
    Path rootfs = goUnpack("bundle").resolve("rootfs");
    config("--config.user=nobody");
    List<String> args =
        List.of(
            GoUmoci.BINARY.toString(),
            "raw",
            "runtime-config",
            "--image",
            layout + ":t",
            "--rootfs",
            rootfs.toString(),
            dir.resolve("x.json").toString());
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, p.waitFor(), out);
    assertTrue(out.contains("unable to find user nobody"), out);
    InvalidImageException e =
        assertThrows(
            InvalidImageException.class,
            () -> new RuntimeConfigGenerator().generate(image(), rootfs, null));
    assertTrue(e.getMessage().contains("unable to find user nobody"), e.getMessage());
  }

  @Test
  void withoutRootfsNamesBecomeRootAndNumbersStay() throws Exception {
    for (String user : List.of("alice", "alice:staff", "1000:50", "1000", "1000:staff")) {
      config("--config.user=" + user);
      Spec ours = new RuntimeConfigGenerator().generate(image(), null, null);
      assertMatches(goRawConfig(null), ours, ALWAYS);
      assertEquals(".", ours.root().path());
    }
  }

  @Test
  void emptyImageConfig() throws Exception {
    Spec ours = new RuntimeConfigGenerator().generate(image(), null, IdMapping.identity());
    assertMatches(goRawConfig(null), ours, ALWAYS);
    assertEquals(List.of("sh"), ours.process().args());
  }

  @Test
  void idMappedUnpack() throws Exception {
    config("--config.user=alice");
    Path bundle = goUnpack("bundle", "--uid-map=0:100000:65536", "--gid-map=0:200000:65536");
    IdMapping mapping =
        new IdMapping(
            List.of(new IdMap(0, 100000, 65536)), List.of(new IdMap(0, 200000, 65536)), false);
    Spec ours = new RuntimeConfigGenerator().generate(image(), bundle.resolve("rootfs"), mapping);
    assertMatches(bundle.resolve("config.json"), ours, ALWAYS);
    assertEquals(
        "user", ours.linux().namespaces().get(ours.linux().namespaces().size() - 1).type());
  }

  @Test
  void rootlessUnpack() throws Exception {
    config("--config.user=alice", "--config.volume=/sysdata", "--config.volume=/data");
    Path bundle = goUnpack("bundle", "--rootless");
    IdMapping mapping = IdMapping.of(List.of(), List.of(), true);
    Spec ours = new RuntimeConfigGenerator().generate(image(), bundle.resolve("rootfs"), mapping);
    assertMatches(
        bundle.resolve("config.json"),
        ours,
        always(Diff.VOLUME_ORDER, Diff.RESOLV_CONF_OPTION_ORDER));
    assertTrue(ours.process().user().additionalGids().isEmpty());
    assertEquals(null, ours.linux().resources());
    assertFalse(
        ours.mounts().stream().anyMatch(m -> m.destination().equals("/sysdata")),
        "umoci drops every mount whose destination starts with /sys, even /sysdata");
  }

  /** The intended differences between umoci 0.4.7 and umoci 0.6/HEAD, applied to 0.4.7 output. */
  enum Diff {
    /** 0.4.7 hard-coded runtime-spec 1.0.0; 0.6.0 writes its vendored runtime-spec, 1.2.1. */
    OCI_VERSION {
      @Override
      void apply(ObjectNode go, Image image) {
        assertEquals("1.0.0", go.get("ociVersion").asText());
        go.put("ociVersion", Spec.VERSION);
      }
    },
    /** umoci 0.5.0 added a cgroup namespace, first in the template's list. */
    CGROUP_NAMESPACE {
      @Override
      void apply(ObjectNode go, Image image) {
        ArrayNode ns = (ArrayNode) go.get("linux").get("namespaces");
        for (JsonNode n : ns) {
          assertFalse(n.get("type").asText().equals("cgroup"));
        }
        ns.insertObject(0).put("type", "cgroup");
      }
    },
    /** 0.4.7 always wrote the image annotations, even empty; 0.5+ leaves empty ones out. */
    EMPTY_ANNOTATIONS {
      @Override
      void apply(ObjectNode go, Image image) {
        ObjectNode annotations = (ObjectNode) go.get("annotations");
        List<String> empty = new ArrayList<>();
        annotations
            .fields()
            .forEachRemaining(
                e -> {
                  if (e.getValue().asText().isEmpty()) {
                    empty.add(e.getKey());
                  }
                });
        annotations.remove(empty);
      }
    },
    /** 0.4.7 applied labels before its own annotations; since 0.6.0 labels win on a clash. */
    LABELS_WIN {
      @Override
      void apply(ObjectNode go, Image image) {
        ObjectNode annotations = (ObjectNode) go.get("annotations");
        boolean clash = false;
        for (Map.Entry<String, String> label : image.config().labels().entrySet()) {
          JsonNode current = annotations.get(label.getKey());
          if (label.getKey().startsWith("org.opencontainers.image.")) {
            assertFalse(label.getValue().equals(current.asText()), "0.4.7 let its annotation win");
            clash = true;
          }
          annotations.put(label.getKey(), label.getValue());
        }
        assertTrue(clash, "the scenario must have a label clashing with an annotation");
      }
    },
    /** 0.4.7 overwrote HOME with the passwd home; HEAD (#652) keeps the image's HOME. */
    HOME_FROM_IMAGE_ENV_WINS {
      @Override
      void apply(ObjectNode go, Image image) {
        String imageHome =
            image.config().env().stream()
                .filter(e -> e.startsWith("HOME="))
                .findFirst()
                .orElseThrow();
        ArrayNode env = (ArrayNode) go.get("process").get("env");
        for (int i = 0; i < env.size(); i++) {
          if (env.get(i).asText().startsWith("HOME=")) {
            assertFalse(env.get(i).asText().equals(imageHome), "0.4.7 overwrote HOME");
            env.set(i, imageHome);
            return;
          }
        }
        throw new AssertionError("no HOME in 0.4.7 env");
      }
    },
    /** 0.4.7 iterated the volume map in Go's random order; 0.5+ sorts the volumes. */
    VOLUME_ORDER {
      @Override
      void apply(ObjectNode go, Image image) {
        ArrayNode mounts = (ArrayNode) go.get("mounts");
        Set<String> volumes = image.config().volumes();
        List<JsonNode> volumeMounts = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
          if (volumes.contains(mounts.get(i).get("destination").asText())) {
            volumeMounts.add(mounts.get(i));
            slots.add(i);
          }
        }
        volumeMounts.sort(java.util.Comparator.comparing(m -> m.get("destination").asText()));
        for (int k = 0; k < slots.size(); k++) {
          mounts.set(slots.get(k), volumeMounts.get(k));
        }
      }
    },
    /** umoci lists the locked resolv.conf mount flags in Go map order; we use a fixed order. */
    RESOLV_CONF_OPTION_ORDER {
      @Override
      void apply(ObjectNode go, Image image) {
        List<String> order =
            List.of("ro", "nodev", "noexec", "nosuid", "noatime", "relatime", "nodiratime");
        for (JsonNode m : go.get("mounts")) {
          if (m.get("destination").asText().equals("/etc/resolv.conf")) {
            ArrayNode options = (ArrayNode) m.get("options");
            int locked = options.size() - 2;
            List<String> flags = new ArrayList<>();
            for (int i = 0; i < locked; i++) {
              flags.add(options.get(i).asText());
            }
            flags.sort(java.util.Comparator.comparing(order::indexOf));
            for (int i = 0; i < locked; i++) {
              options.set(i, flags.get(i));
            }
            return;
          }
        }
        throw new AssertionError("no /etc/resolv.conf mount in 0.4.7's rootless config");
      }
    };

    abstract void apply(ObjectNode go, Image image);
  }
}
