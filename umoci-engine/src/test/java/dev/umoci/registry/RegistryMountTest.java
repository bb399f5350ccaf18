package dev.umoci.registry;

import static dev.umoci.testing.TestRegistry.insecure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.ops.BaseImages;
import dev.umoci.ops.ConfigUpdate;
import dev.umoci.ops.Copy;
import dev.umoci.ops.ImageRef;
import dev.umoci.ops.PushImage;
import dev.umoci.ops.Timestamps;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.Closing;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.TestRegistry;
import dev.umoci.testing.TokenServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-repository blob mounts against real registries (Debian's docker-registry): within one
 * registry, {@code copy} and the push of an image built on a base from that registry mount the
 * blobs instead of uploading them; skopeo reads the result with the same digests; a mount the
 * registry answers with 202 (the source lacks the blob) and one the token service refuses (no pull
 * access to the source) end in a correct upload.
 */
class RegistryMountTest {
  static final String SKOPEO = "/usr/bin/skopeo";
  static final String USER = "tester";
  static final String PASSWORD = "m0unt-pa55";

  @TempDir static Path shared;
  static TestRegistry registry;
  static TokenServer tokens;
  static TestRegistry bearer;
  static String arch;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    Interop.requireTool(SKOPEO);
    arch = Copy.hostPlatform().architecture();
    registry = TestRegistry.plain(shared.resolve("plain"));
    tokens = TokenServer.start(shared.resolve("tokens"), USER, PASSWORD);
    bearer = TestRegistry.withTokens(shared.resolve("bearer"), tokens);
  }

  @AfterAll
  static void stop() {
    Closing.all(bearer, tokens, registry);
  }

  static RegistryOptions withCredentials() {
    return insecure().credentials(new Credentials(USER, PASSWORD, "--creds")).build();
  }

  /** Records what the pusher reports for each blob. */
  static final class Recording implements TransferListener {
    final Map<Digest, String> mounted = new ConcurrentHashMap<>();
    final Set<Digest> uploaded = ConcurrentHashMap.newKeySet();
    final Set<Digest> skipped = ConcurrentHashMap.newKeySet();

    @Override
    public void blobDone(Digest digest, long size, boolean wasSkipped) {
      (wasSkipped ? skipped : uploaded).add(digest);
    }

    @Override
    public void blobMounted(Digest digest, long size, String from) {
      mounted.put(digest, from);
    }
  }

  private static Manifest manifest(Path layout, String tag) throws Exception {
    try (OciLayout l = OciLayout.open(layout)) {
      return ImageBlobs.manifest(l, References.resolve(l, tag));
    }
  }

  private static Set<Digest> blobsOf(Manifest m) {
    Set<Digest> out = new HashSet<>();
    out.add(m.config().digest());
    for (Descriptor d : m.layers()) {
      out.add(d.digest());
    }
    return out;
  }

  /** skopeo copies {@code remote} into a new layout; returns the digest it tagged. */
  private Digest pulledBySkopeo(String remote, String... creds) throws Exception {
    Path dir = tmp.resolve("skopeo-" + Math.abs(remote.hashCode()));
    List<String> cmd = new ArrayList<>(List.of(SKOPEO, "--insecure-policy", "copy"));
    cmd.addAll(List.of(creds));
    cmd.addAll(List.of("--src-tls-verify=false", remote, "oci:" + dir + ":pulled"));
    ExternalTool.Result r = ExternalTool.run(cmd);
    assertEquals(0, r.exitCode(), r.stderr());
    LayoutChecks.assertValid(dir);
    try (OciLayout l = OciLayout.open(dir)) {
      return References.resolve(l, "pulled").digest();
    }
  }

  /**
   * {@code base} plus an application layer, with the base annotation naming {@code baseName}: what
   * the Maven build goal makes on a base from a registry.
   */
  private static Digest buildOnBase(Path layout, String base, String app, String baseName)
      throws Exception {
    Path files = Files.createDirectories(layout.resolveSibling("app-files"));
    Files.writeString(files.resolve("Main.class"), "classes of " + app);
    CliRunner.run("tag", "--image", layout + ":" + base, app).assertSuccess();
    CliRunner.run("insert", "--image", layout + ":" + app, files.toString(), "/app")
        .assertSuccess();
    return ConfigUpdate.run(
            ConfigUpdate.Options.builder(new ImageRef(layout, app))
                .manifestAnnotations(List.of(BaseImages.ANNOTATION_BASE_NAME + "=" + baseName))
                .timestamps(new Timestamps(Clock.systemUTC(), Optional.empty()))
                .build())
        .digest();
  }

  /**
   * Makes {@code layout:base} (seeded by {@code seed}), pushes it as {@code baseName} with {@code
   * options}, and builds {@code layout:app} on it; returns the app's manifest digest.
   */
  private static Digest appOnPushedBase(
      Path layout, String seed, String baseName, RegistryOptions options) throws Exception {
    TestImages.image(layout, "base", arch, seed, 8192);
    Copy.run(
        Copy.Options.builder("oci:" + layout + ":base", "docker://" + baseName)
            .registry(options)
            .build());
    return buildOnBase(layout, "base", "app", baseName);
  }

  private static Set<Digest> baseLayers(Path layout) throws Exception {
    Set<Digest> out = new HashSet<>();
    manifest(layout, "base").layers().forEach(d -> out.add(d.digest()));
    return out;
  }

  @Test
  void copyWithinOneRegistryMountsEveryBlobAndSkopeoReadsTheSameDigests() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "mount-copy", 4096);
    String from = "docker://" + registry.host() + "/mount/from:v1";
    Copy.run(Copy.Options.builder("oci:" + src + ":v1", from).registry(insecure().build()).build());

    Recording seen = new Recording();
    String to = "docker://" + registry.host() + "/mount/to:v2";
    Copy.Result r =
        Copy.run(
            Copy.Options.builder(from, to).registry(insecure().build()).listener(seen).build());

    assertEquals(manifest, r.descriptor().digest());
    Set<Digest> blobs = blobsOf(manifest(src, "v1"));
    assertEquals(blobs, seen.mounted.keySet(), "config and both layers mounted");
    assertEquals(Set.of("mount/from"), new HashSet<>(seen.mounted.values()));
    assertEquals(Set.of(), seen.uploaded, "nothing uploaded");
    assertEquals(0, r.blobsCopied());
    assertEquals(0, r.bytesCopied());
    assertEquals(manifest, pulledBySkopeo(to));
  }

  /** The copy's spool is made below TMPDIR (as skopeo's big files are), not the JVM's /tmp. */
  @Test
  void aCopyBetweenRepositoriesSpoolsBelowTmpdir() throws Exception {
    Path src = tmp.resolve("src");
    TestImages.image(src, "v1", arch, "spool-copy", 512);
    String from = "docker://" + registry.host() + "/spool/from:v1";
    Copy.run(Copy.Options.builder("oci:" + src + ":v1", from).registry(insecure().build()).build());
    String missing = tmp.resolve("no-such-tmpdir").toString();
    RegistryOptions spoolingThere = insecure().environment(Map.of("TMPDIR", missing)).build();
    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class,
            () ->
                Copy.run(
                    Copy.Options.builder(from, "docker://" + registry.host() + "/spool/to:v1")
                        .registry(spoolingThere)
                        .build()));
    assertTrue(e.getMessage().startsWith("TMPDIR=" + missing + ": no such directory"));
  }

  @Test
  void pushOfAnImageBuiltOnABaseOfTheSameRegistryMountsTheBaseLayers() throws Exception {
    Path layout = tmp.resolve("layout");
    Digest app =
        appOnPushedBase(
            layout, "mount-base", registry.host() + "/bases/jre:21", insecure().build());

    Recording seen = new Recording();
    PushImage.Result r =
        PushImage.run(
            PushImage.Options.of(
                    new ImageRef(layout, "app"), Reference.parse(registry.host() + "/team/app:1"))
                .withRegistry(insecure().build())
                .withListener(seen));

    Manifest built = manifest(layout, "app");
    assertEquals(baseLayers(layout), seen.mounted.keySet(), "the base layers are mounted");
    assertEquals(Set.of("bases/jre"), new HashSet<>(seen.mounted.values()));
    // The registry answers 202 to the mount of blobs the base repository lacks: uploaded.
    assertEquals(
        Set.of(built.config().digest(), built.layers().get(built.layers().size() - 1).digest()),
        seen.uploaded,
        "the application layer and the config are uploaded");
    assertEquals(app, r.push().digest());
    assertEquals(2, r.push().blobsMounted());
    assertEquals(2, r.push().blobsUploaded());
    assertEquals(app, pulledBySkopeo("docker://" + registry.host() + "/team/app:1"));
  }

  @Test
  void copyOfSuchAnImageFromItsLayoutMountsTheBaseLayersToo() throws Exception {
    Path layout = tmp.resolve("layout");
    Digest app =
        appOnPushedBase(
            layout, "mount-copy-base", registry.host() + "/bases/copied:1", insecure().build());

    Recording seen = new Recording();
    String remote = "docker://" + registry.host() + "/team/copied:1";
    Copy.Result r =
        Copy.run(
            Copy.Options.builder("oci:" + layout + ":app", remote)
                .registry(insecure().build())
                .listener(seen)
                .build());

    assertEquals(baseLayers(layout), seen.mounted.keySet());
    assertEquals(2, r.blobsCopied(), "the application layer and the config");
    assertEquals(app, pulledBySkopeo(remote));
  }

  @Test
  void mountRefusedByTheTokenServiceFallsBackToAnUpload() throws Exception {
    Path layout = tmp.resolve("layout");
    Digest app =
        appOnPushedBase(
            layout, "mount-refused", bearer.host() + "/private/base:1", withCredentials());
    tokens.deny("private/base");

    Recording seen = new Recording();
    PushImage.Result r =
        PushImage.run(
            PushImage.Options.of(
                    new ImageRef(layout, "app"), Reference.parse(bearer.host() + "/team/app:1"))
                .withRegistry(withCredentials())
                .withListener(seen));

    assertTrue(
        tokens.scopesAsked().contains("repository:team/app:pull,push repository:private/base:pull"),
        "a token with pull access to the source was asked for: " + tokens.scopesAsked());
    assertEquals(Map.of(), seen.mounted, "the registry refused every mount");
    assertEquals(blobsOf(manifest(layout, "app")), seen.uploaded, "every blob uploaded");
    assertEquals(app, r.push().digest());
    assertEquals(
        app,
        pulledBySkopeo(
            "docker://" + bearer.host() + "/team/app:1", "--src-creds", USER + ":" + PASSWORD));
  }
}
