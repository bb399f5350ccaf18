package dev.umoci.registry;

import static dev.umoci.testing.TestRegistry.insecure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.umoci.errors.DigestMismatchException;
import dev.umoci.oci.spec.Digest;
import dev.umoci.ops.BaseImageCache;
import dev.umoci.ops.Copy;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.RegistryExtension;
import dev.umoci.testing.TestRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls through pull-through mirrors ({@link Mirrors}, {@link MirroredSource}) between two real
 * registries: the origin, and a mirror that keeps the origin's images below {@code docker-remote/},
 * as an Artifactory remote repository does.
 */
class MirrorPullTest {
  @RegisterExtension static final RegistryExtension origin = RegistryExtension.plain();
  @RegisterExtension static final RegistryExtension mirror = RegistryExtension.plain();

  @TempDir static Path images;
  @TempDir Path tmp;

  /** {@code only-mirror/app:v1}, on the mirror only; {@code only-origin/app:v1}, on the origin. */
  static Digest onMirror;

  static Digest onOrigin;

  @BeforeAll
  static void push() throws Exception {
    String arch = Copy.hostPlatform().architecture();
    onMirror = TestImages.image(images.resolve("a"), "v1", arch, "on-mirror", 1024);
    onOrigin = TestImages.image(images.resolve("b"), "v1", arch, "on-origin", 1024);
    copy(
        "oci:" + images.resolve("a") + ":v1",
        "docker://" + mirror.host() + "/docker-remote/only-mirror/app:v1",
        insecure().build());
    copy(
        "oci:" + images.resolve("b") + ":v1",
        "docker://" + origin.host() + "/only-origin/app:v1",
        insecure().build());
  }

  private static Copy.Result copy(String src, String dst, RegistryOptions options)
      throws Exception {
    return Copy.run(Copy.Options.builder(src, dst).registry(options).build());
  }

  /** Options whose mirrors for the origin are {@code locations}, each insecure. */
  private static RegistryOptions mirrored(boolean digestOnly, String... locations) {
    List<Mirrors.Endpoint> endpoints =
        java.util.Arrays.stream(locations).map(l -> new Mirrors.Endpoint(l, true, null)).toList();
    return insecure()
        .tlsVerify(true) // the origin: only the mirrors are insecure...
        .attempts(1)
        .mirrors(new Mirrors(List.of(new Mirrors.Entry(origin.host(), endpoints, digestOnly))))
        .build();
  }

  @Test
  void pullsFromTheMirrorUnderItsNamespaceWhatTheOriginLacks() throws Exception {
    Path dst = tmp.resolve("dst");
    String ref = "docker://" + origin.host() + "/only-mirror/app:v1";
    // ...so a pull that reached the origin (plain HTTP) would fail: what came, came from the mirror
    Copy.Result r =
        copy(ref, "oci:" + dst + ":v1", mirrored(false, mirror.host() + "/docker-remote"));
    assertEquals(onMirror, r.descriptor().digest());
    LayoutChecks.assertTag(dst, "v1", onMirror);
    // without the mirror, the origin does not have it
    RegistryOptions plain = insecure().build();
    assertThrows(
        ManifestUnknownException.class, () -> copy(ref, "oci:" + tmp.resolve("o") + ":v1", plain));
  }

  @Test
  void aMirrorThatIsDownOrLacksTheImageIsSkippedForTheOrigin() throws Exception {
    Path dst = tmp.resolve("dst");
    RegistryOptions options =
        mirrored(false, "127.0.0.1:" + TestRegistry.freePort(), mirror.host() + "/docker-remote")
            .toBuilder()
            .tlsVerify(false)
            .build();
    Copy.Result r =
        copy("docker://" + origin.host() + "/only-origin/app:v1", "oci:" + dst + ":v1", options);
    assertEquals(onOrigin, r.descriptor().digest());

    // Nowhere: the origin's own error, saying that mirrors were tried.
    ManifestUnknownException e =
        assertThrows(
            ManifestUnknownException.class,
            () ->
                copy(
                    "docker://" + origin.host() + "/nowhere/app:v1",
                    "oci:" + tmp.resolve("n") + ":v1",
                    options));
    assertTrue(e.getMessage().startsWith("registry " + origin.host() + ":"), e.getMessage());
    assertTrue(
        e.getMessage().contains("(tried 2 mirrors of " + origin.host() + " first"), e.getMessage());
  }

  /** A mirror that wants credentials we do not have (401) is skipped too. */
  @Test
  void aMirrorThatRefusesUsIsSkipped() throws Exception {
    try (TestRegistry locked =
        TestRegistry.tlsWithBasicAuth(tmp.resolve("locked"), "someone", "secret")) {
      RegistryOptions options =
          mirrored(false, locked.host() + "/docker-remote").toBuilder().tlsVerify(false).build();
      Path dst = tmp.resolve("dst");
      Copy.Result r =
          copy("docker://" + origin.host() + "/only-origin/app:v1", "oci:" + dst + ":v1", options);
      assertEquals(onOrigin, r.descriptor().digest());
    }
  }

  @Test
  void digestOnlyMirrorsServeDigestReferencesOnly() throws Exception {
    RegistryOptions options = mirrored(true, mirror.host() + "/docker-remote");
    String byTag = "docker://" + origin.host() + "/only-mirror/app:v1";
    // the tag goes to the origin (plain HTTP, refused with TLS verified): not to the mirror
    RegistryUnreachableException e =
        assertThrows(
            RegistryUnreachableException.class,
            () -> copy(byTag, "oci:" + tmp.resolve("t") + ":v1", options));
    assertFalse(e.getMessage().contains("mirror"), e.getMessage());
    Path dst = tmp.resolve("d");
    Copy.Result r =
        copy(
            "docker://" + origin.host() + "/only-mirror/app@" + onMirror,
            "oci:" + dst + ":v1",
            options);
    assertEquals(onMirror, r.descriptor().digest());
  }

  /** A {@code tag-only} mirror ({@code pull-from-mirror}) is passed over for a digest. */
  @Test
  void aTagOnlyMirrorIsSkippedForADigestPull() throws Exception {
    RegistryOptions options =
        mirrored(false).toBuilder()
            .mirrors(
                new Mirrors(
                    List.of(
                        new Mirrors.Entry(
                            origin.host(),
                            List.of(
                                new Mirrors.Endpoint(
                                    mirror.host() + "/docker-remote",
                                    true,
                                    null,
                                    Mirrors.PullFrom.TAG_ONLY)),
                            false))))
            .build();
    Copy.Result r =
        copy(
            "docker://" + origin.host() + "/only-mirror/app:v1",
            "oci:" + tmp.resolve("t") + ":v1",
            options);
    assertEquals(onMirror, r.descriptor().digest());
    // the digest goes to the origin (plain HTTP, refused with TLS verified): not to the mirror
    RegistryUnreachableException e =
        assertThrows(
            RegistryUnreachableException.class,
            () ->
                copy(
                    "docker://" + origin.host() + "/only-mirror/app@" + onMirror,
                    "oci:" + tmp.resolve("d") + ":v1",
                    options));
    assertFalse(e.getMessage().contains("mirror"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("d")));
  }

  /**
   * A wildcard {@code [[registry]]} ({@code *.example.test}) applies to every host below the
   * domain: its mirror serves the pull of an image whose own host does not even resolve.
   */
  @Test
  void theMirrorOfAWildcardPrefixServesThePull() throws Exception {
    Path conf = tmp.resolve("registries.conf");
    Files.writeString(
        conf,
        "[[registry]]\nprefix = \"*.example.test\"\n[[registry.mirror]]\nlocation = \""
            + mirror.host()
            + "/docker-remote\"\ninsecure = true\n");
    Path dst = tmp.resolve("dst");
    CliRunner.Result r =
        CliRunner.runWithEnv(
                Map.of(RegistriesConf.ENV, conf.toString()),
                "copy",
                "--retry-times",
                "0",
                "docker://img.a.example.test/only-mirror/app:v1",
                "oci:" + dst + ":v1")
            .assertSuccess();
    assertEquals(onMirror + "\n", r.stdout());
    LayoutChecks.assertTag(dst, "v1", onMirror);
  }

  /**
   * A {@code [[registry]]} whose {@code location} differs from its {@code prefix} redirects pulls
   * of the namespace to the location (its {@code insecure} applying there), and an image missing
   * there fails naming both; a push to the namespace goes where its name says, as in skopeo.
   */
  @Test
  void aLocationRedirectsPullsButNotPushes() throws Exception {
    Path conf = tmp.resolve("registries.conf");
    Map<String, String> env = Map.of(RegistriesConf.ENV, conf.toString());
    Files.writeString(
        conf,
        "[[registry]]\nprefix = \"redirected.example.test/team\"\nlocation = \""
            + origin.host()
            + "/only-origin\"\ninsecure = true\n");
    Path dst = tmp.resolve("dst");
    CliRunner.Result r =
        CliRunner.runWithEnv(
                env,
                "copy",
                "--retry-times",
                "0",
                "docker://redirected.example.test/team/app:v1",
                "oci:" + dst + ":v1")
            .assertSuccess();
    assertEquals(onOrigin + "\n", r.stdout());
    LayoutChecks.assertTag(dst, "v1", onOrigin);

    CliRunner.Result missing =
        CliRunner.runWithEnv(
            env,
            "copy",
            "--retry-times",
            "0",
            "docker://redirected.example.test/team/missing:v1",
            "oci:" + tmp.resolve("m") + ":v1");
    assertEquals(1, missing.exitCode(), missing.stderr());
    assertTrue(missing.stderr().contains("registry " + origin.host() + ":"), missing.stderr());
    assertTrue(
        missing
            .stderr()
            .contains(
                "redirected.example.test/team/missing:v1 is located at "
                    + origin.host()
                    + "/only-origin/missing:v1"),
        missing.stderr());
    assertEquals(1, missing.stderr().strip().lines().count(), missing.stderr());

    CliRunner.Result push =
        CliRunner.runWithEnv(
            env,
            "copy",
            "--retry-times",
            "0",
            "oci:" + dst + ":v1",
            "docker://redirected.example.test/team/pushed:v1");
    assertEquals(1, push.exitCode(), push.stderr());
    assertTrue(push.stderr().contains("redirected.example.test"), push.stderr());
    assertThrows(
        ManifestUnknownException.class,
        () ->
            copy(
                "docker://" + origin.host() + "/only-origin/pushed:v1",
                "oci:" + tmp.resolve("p") + ":v1",
                insecure().build()));
  }

  /** A mirror that serves other bytes for a digest fails the pull: it is not passed over. */
  @Test
  void aMirrorServingOtherBytesForADigestFailsAndNothingIsWritten() throws Exception {
    HttpServer liar = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] other =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                + "\"digest\":\""
                + Digest.sha256(new byte[0])
                + "\",\"size\":0},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    liar.createContext(
        "/v2/",
        ex -> {
          try (ex) {
            boolean manifest = ex.getRequestURI().getPath().contains("/manifests/");
            byte[] body = manifest ? other : "{}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders()
                .add(
                    "Content-Type",
                    manifest ? "application/vnd.oci.image.manifest.v1+json" : "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
        });
    liar.start();
    try {
      Path dst = tmp.resolve("dst");
      RegistryOptions options =
          mirrored(false, "127.0.0.1:" + liar.getAddress().getPort() + "/docker-remote").toBuilder()
              .tlsVerify(false)
              .build();
      DigestMismatchException e =
          assertThrows(
              DigestMismatchException.class,
              () ->
                  copy(
                      "docker://" + origin.host() + "/only-origin/app@" + onOrigin,
                      "oci:" + dst + ":v1",
                      options));
      assertTrue(
          e.getMessage().contains("repository docker-remote/only-origin/app"), e.getMessage());
      assertFalse(Files.exists(dst), "the destination layout was left behind");
    } finally {
      liar.stop(0);
    }
  }

  /** The base-image cache keeps an image pulled through a mirror under its own name. */
  @Test
  void theBaseImageCacheKeepsAMirroredImageUnderTheOriginalReference() throws Exception {
    BaseImageCache cache = new BaseImageCache(tmp.resolve("cache"));
    Reference ref = Reference.parse(origin.host() + "/only-mirror/app:v1");
    PlatformChoice host = Copy.hostPlatform();
    BaseImageCache.Entry e =
        cache.resolve(ref, host, false, mirrored(false, mirror.host() + "/docker-remote"), null);
    assertTrue(e.pulled());
    assertEquals(onMirror, e.descriptor().digest());
    assertTrue(e.image().tag().startsWith(origin.host() + "/only-mirror/app:v1+"), e.image().tag());
    LayoutChecks.assertTag(cache.layout(), e.image().tag(), onMirror);
  }

  /**
   * {@code copy} reads the mirrors from the {@code registries.conf} that {@code
   * CONTAINERS_REGISTRIES_CONF} names.
   */
  @Test
  void theCliPullsThroughTheMirrorsOfRegistriesConf() throws Exception {
    Path conf = tmp.resolve("registries.conf");
    Files.writeString(
        conf,
        "unqualified-search-registries = [\"docker.io\"]\n"
            + "[[registry]]\n"
            + "prefix = \""
            + origin.host()
            + "\"\n"
            + "[[registry.mirror]]\n"
            + "location = \""
            + mirror.host()
            + "/docker-remote\"\n"
            + "insecure = true\n");
    Path dst = tmp.resolve("dst");
    String[] args = {
      "copy",
      "--src-tls-verify=false",
      "docker://" + origin.host() + "/only-mirror/app:v1",
      "oci:" + dst + ":v1"
    };
    CliRunner.Result r =
        CliRunner.runWithEnv(Map.of(RegistriesConf.ENV, conf.toString()), args).assertSuccess();
    assertEquals(onMirror + "\n", r.stdout());
    LayoutChecks.assertTag(dst, "v1", onMirror);
    // the same without the file: the origin does not have it
    CliRunner.Result without =
        CliRunner.runWithEnv(
            Map.of(RegistriesConf.ENV, tmp.resolve("empty.conf").toString()), args);
    assertEquals(1, without.exitCode(), without.stderr());
    assertTrue(without.stderr().contains("no such file"), without.stderr());
    Files.writeString(tmp.resolve("empty.conf"), "# nothing\n");
    CliRunner.Result plain =
        CliRunner.runWithEnv(
            Map.of(RegistriesConf.ENV, tmp.resolve("empty.conf").toString()), args);
    assertEquals(1, plain.exitCode(), plain.stderr());
    assertTrue(plain.stderr().contains("only-mirror/app"), plain.stderr());
  }

  /**
   * A registry's own {@code insecure = true} lets the CLI talk plain HTTP to it in either direction
   * without {@code --src-tls-verify=false}; an explicit {@code --src-tls-verify=true} still wins;
   * {@code blocked = true} refuses pulls and pushes before anything is written.
   */
  @Test
  void theCliFollowsRegistriesConfInsecureAndBlocked() throws Exception {
    Path conf = tmp.resolve("registries.conf");
    Map<String, String> env = Map.of(RegistriesConf.ENV, conf.toString());
    Files.writeString(
        conf, "[[registry]]\nlocation = \"" + origin.host() + "\"\ninsecure = true\n");
    Path dst = tmp.resolve("dst");
    String remote = "docker://" + origin.host() + "/only-origin/app:v1";
    CliRunner.Result r =
        CliRunner.runWithEnv(env, "copy", remote, "oci:" + dst + ":v1").assertSuccess();
    assertEquals(onOrigin + "\n", r.stdout());
    CliRunner.runWithEnv(
            env, "copy", "oci:" + dst + ":v1", "docker://" + origin.host() + "/insecure/back:v1")
        .assertSuccess();
    CliRunner.Result verified =
        CliRunner.runWithEnv(
            env, "copy", "--src-tls-verify=true", remote, "oci:" + tmp.resolve("v") + ":v1");
    assertEquals(1, verified.exitCode(), verified.stderr());
    assertFalse(Files.exists(tmp.resolve("v")));

    Files.writeString(
        conf,
        "[[registry]]\nlocation = \""
            + origin.host()
            + "/only-origin\"\ninsecure = true\nblocked = true\n");
    Path other = tmp.resolve("other");
    CliRunner.Result pull = CliRunner.runWithEnv(env, "copy", remote, "oci:" + other + ":v1");
    assertEquals(1, pull.exitCode(), pull.stderr());
    assertEquals(
        "umoci: " + remote + ": " + origin.host() + "/only-origin is blocked in " + conf + "\n",
        pull.stderr());
    assertFalse(Files.exists(other));
    CliRunner.Result push =
        CliRunner.runWithEnv(
            env,
            "copy",
            "--dest-tls-verify=false",
            "oci:" + dst + ":v1",
            "docker://" + origin.host() + "/only-origin/pushed:v1");
    assertEquals(1, push.exitCode(), push.stderr());
    assertTrue(push.stderr().contains("is blocked in"), push.stderr());
  }

  /** Which mirror repository a name maps to, and which entry applies. */
  @Test
  void namesMapBelowTheMirrorsPathAndTheLongestPrefixWins() throws Exception {
    Mirrors m =
        new Mirrors(
            List.of(
                new Mirrors.Entry(
                    "docker.io",
                    List.of(
                        new Mirrors.Endpoint("artifactory.corp/docker-remote", false, null),
                        new Mirrors.Endpoint("mirror.gcr.io", true, null)),
                    false),
                new Mirrors.Entry(
                    "index.docker.io/library/busybox",
                    List.of(new Mirrors.Endpoint("bb.corp:5000/x/y", false, null)),
                    true)));
    RegistryOptions o = RegistryOptions.builder().environment(Map.of()).mirrors(m).build();
    List<Mirrors.Source> s = m.sourcesFor(Reference.parse("eclipse-temurin:21-jre"), o);
    assertEquals(
        List.of(
            "artifactory.corp/docker-remote/library/eclipse-temurin:21-jre",
            "mirror.gcr.io/library/eclipse-temurin:21-jre"),
        s.stream().map(x -> x.reference().toString()).toList());
    assertTrue(s.get(0).options().tlsVerify());
    assertFalse(s.get(1).options().tlsVerify(), "insecure: for that mirror only");
    assertEquals(null, s.get(0).options().mirrors());
    Digest d = Digest.sha256(new byte[0]);
    assertEquals(
        List.of(),
        m.sourcesFor(Reference.parse("busybox:1"), o),
        "digest-only entry, tag reference");
    assertEquals(
        "bb.corp:5000/x/y@" + d,
        m.sourcesFor(Reference.parse("busybox@" + d), o).get(0).reference().toString());
    assertEquals(List.of(), m.sourcesFor(Reference.parse("quay.io/a/b:1"), o));
    assertEquals(
        "artifactory.corp/docker-remote/library/busyboxes:1",
        m.sourcesFor(Reference.parse("busyboxes:1"), o).get(0).reference().toString(),
        "a prefix ends at a '/'");
  }
}
