package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.oci.spec.Digest;
import dev.umoci.ops.Copy;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.Closing;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.TestRegistry;
import dev.umoci.testing.TokenServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication and TLS against real registries: TLS with a self-signed certificate plus htpasswd
 * Basic auth, and Bearer tokens from a test token endpoint.
 */
class RegistryAuthTest {
  static final String USER = "tester";
  static final String PASSWORD = "s3cret-pa55";

  @TempDir static Path shared;
  static TestRegistry basic;
  static TokenServer tokens;
  static TestRegistry bearer;
  static String arch;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    arch = Copy.hostPlatform().architecture();
    basic = TestRegistry.tlsWithBasicAuth(shared.resolve("basic"), USER, PASSWORD);
    tokens = TokenServer.start(shared.resolve("tokens"), USER, PASSWORD);
    bearer = TestRegistry.withTokens(shared.resolve("bearer"), tokens);
  }

  @AfterAll
  static void stop() {
    Closing.all(bearer, tokens, basic);
  }

  private static RegistryOptions.Builder options() {
    return RegistryOptions.builder().environment(Map.of()).backoff(Duration.ofMillis(20));
  }

  private static Copy.Result copy(String src, String dst, RegistryOptions o) throws Exception {
    return Copy.run(Copy.Options.builder(src, dst).registry(o).build());
  }

  @Test
  void tlsWithCertDirAndBasicCredentialsPushesAndPulls() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "tls-basic", 1024);
    String remote = "docker://" + basic.host() + "/secure/app:v1";
    RegistryOptions good =
        options()
            .certDir(basic.certDir())
            .credentials(new Credentials(USER, PASSWORD, "--creds"))
            .build();
    assertEquals(manifest, copy("oci:" + src + ":v1", remote, good).descriptor().digest());
    Path dst = tmp.resolve("dst");
    copy(remote, "oci:" + dst + ":v1", good);
    LayoutChecks.assertTag(dst, "v1", manifest);

    // --tls-verify=false: the certificate is not checked (HTTPS is still used).
    RegistryOptions unverified =
        options().tlsVerify(false).credentials(new Credentials(USER, PASSWORD, "--creds")).build();
    copy(remote, "oci:" + dst + ":unverified", unverified);
    LayoutChecks.assertTag(dst, "unverified", manifest);

    // The CLI with --cert-dir and --src-creds.
    CliRunner.run(
            "copy",
            "--cert-dir",
            basic.certDir().toString(),
            "--src-creds",
            USER + ":" + PASSWORD,
            remote,
            "oci:" + dst + ":cli")
        .assertSuccess();
    LayoutChecks.assertTag(dst, "cli", manifest);
  }

  @Test
  void untrustedCertificateIsRefused() throws Exception {
    RegistryUnreachableException e =
        assertThrows(
            RegistryUnreachableException.class,
            () ->
                copy(
                    "docker://" + basic.host() + "/secure/app:v1",
                    "oci:" + tmp.resolve("dst") + ":x",
                    options().credentials(new Credentials(USER, PASSWORD, "--creds")).build()));
    assertTrue(
        e.getMessage().startsWith("registry " + basic.host() + ": ping /v2/: TLS handshake failed"),
        e.getMessage());
    assertFalse(Files.exists(tmp.resolve("dst")));
  }

  @Test
  void wrongPasswordNamesTheCredentialSourceButNeverTheSecret() throws Exception {
    Path dst = tmp.resolve("dst");
    TestImages.image(dst, "mine", arch, "wrong-password", 256);
    Map<String, String> before = LayoutChecks.snapshot(dst);
    RegistryAuthException e =
        assertThrows(
            RegistryAuthException.class,
            () ->
                copy(
                    "docker://" + basic.host() + "/secure/app:v1",
                    "oci:" + dst + ":x",
                    options()
                        .certDir(basic.certDir())
                        .credentials(new Credentials(USER, "not-the-password", "--src-creds"))
                        .build()));
    assertEquals(
        "registry "
            + basic.host()
            + ": repository secure/app: get manifest v1: authentication failed (401 UNAUTHORIZED)"
            + " with credentials from --src-creds",
        e.getMessage());
    assertFalse(e.getMessage().contains("not-the-password"));
    assertEquals(before, LayoutChecks.snapshot(dst));

    CliRunner.Result cli =
        CliRunner.run(
            "copy",
            "--cert-dir",
            basic.certDir().toString(),
            "--src-creds",
            USER + ":not-the-password",
            "docker://" + basic.host() + "/secure/app:v1",
            "oci:" + dst + ":x");
    assertEquals(1, cli.exitCode());
    assertFalse(cli.stderr().contains("not-the-password"), cli.stderr());
    assertTrue(cli.stderr().contains("with credentials from --src-creds"), cli.stderr());
  }

  @Test
  void credentialsComeFromTheAuthFile() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "authfile", 256);
    Path authFile = tmp.resolve("auth.json");
    String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes());
    Files.writeString(
        authFile, "{\"auths\":{\"" + basic.host() + "\":{\"auth\":\"" + auth + "\"}}}");
    RegistryOptions o =
        options()
            .certDir(basic.certDir())
            .environment(Map.of("REGISTRY_AUTH_FILE", authFile.toString()))
            .build();
    String remote = "docker://" + basic.host() + "/secure/authfile:v1";
    assertEquals(manifest, copy("oci:" + src + ":v1", remote, o).descriptor().digest());

    RegistryAuthException none =
        assertThrows(
            RegistryAuthException.class,
            () ->
                copy(
                    remote,
                    "oci:" + tmp.resolve("dst") + ":x",
                    options().certDir(basic.certDir()).build()));
    assertTrue(
        none.getMessage().contains("anonymous access; no credentials found"), none.getMessage());
  }

  /**
   * Per-side auth files and anonymous access through the CLI: {@code --src-authfile} and {@code
   * --dest-authfile} win over {@code --authfile}; {@code --src-no-creds} reads no credential source
   * at all (not even a missing {@code --authfile}); with {@code --src-creds} it is a usage error.
   */
  @Test
  void perSideAuthFilesAndNoCreds() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "per-side", 256);
    String good = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes());
    String bad = Base64.getEncoder().encodeToString((USER + ":wrong-pa55").getBytes());
    Path goodFile = tmp.resolve("good.json");
    Path badFile = tmp.resolve("bad.json");
    Files.writeString(
        goodFile, "{\"auths\":{\"" + basic.host() + "\":{\"auth\":\"" + good + "\"}}}");
    Files.writeString(badFile, "{\"auths\":{\"" + basic.host() + "\":{\"auth\":\"" + bad + "\"}}}");
    String certs = basic.certDir().toString();
    String remote = "docker://" + basic.host() + "/secure/per-side:v1";
    CliRunner.run(
            "copy",
            "--cert-dir",
            certs,
            "--authfile",
            badFile.toString(),
            "--dest-authfile",
            goodFile.toString(),
            "oci:" + src + ":v1",
            remote)
        .assertSuccess();
    Path dst = tmp.resolve("dst");
    CliRunner.run(
            "copy",
            "--cert-dir",
            certs,
            "--authfile",
            badFile.toString(),
            "--src-authfile",
            goodFile.toString(),
            remote,
            "oci:" + dst + ":v1")
        .assertSuccess();
    LayoutChecks.assertTag(dst, "v1", manifest);

    // --src-no-creds: the auth file (here a missing one, an error if read) is not looked at.
    CliRunner.Result anonymous =
        CliRunner.runWithEnv(
            Map.of("REGISTRY_AUTH_FILE", goodFile.toString()),
            "copy",
            "--cert-dir",
            certs,
            "--authfile",
            tmp.resolve("missing.json").toString(),
            "--src-no-creds",
            remote,
            "oci:" + dst + ":anonymous");
    assertEquals(1, anonymous.exitCode(), anonymous.stderr());
    assertTrue(
        anonymous
            .stderr()
            .contains(
                "authentication failed (401 UNAUTHORIZED) with anonymous access; no credentials"
                    + " looked up, as asked (--no-creds)"),
        anonymous.stderr());

    CliRunner.Result both =
        CliRunner.run(
            "copy",
            "--src-creds",
            USER + ":" + PASSWORD,
            "--src-no-creds",
            remote,
            "oci:" + dst + ":both");
    assertEquals(1, both.exitCode());
    assertEquals("umoci: --src-creds and --src-no-creds cannot be given together\n", both.stderr());
    assertFalse(both.stderr().contains(PASSWORD));
  }

  /**
   * skopeo's default places, through the CLI with HOME and XDG variables in a temp dir: podman's
   * auth.json under $XDG_RUNTIME_DIR wins over ~/.docker/config.json; a wrong password found in
   * ~/.config/containers/auth.json is reported with that file, never with the password.
   */
  @Test
  void credentialsComeFromSkopeosDefaultFiles() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "default-files", 256);
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path runtime = Files.createDirectories(tmp.resolve("runtime"));
    Files.createDirectories(runtime.resolve("containers"));
    Files.createDirectories(home.resolve(".docker"));
    Files.createDirectories(home.resolve(".config/containers"));
    String good = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes());
    String bad = Base64.getEncoder().encodeToString((USER + ":wrong-pa55").getBytes());
    Files.writeString(
        runtime.resolve("containers/auth.json"),
        "{\"auths\":{\"" + basic.host() + "/secure\":{\"auth\":\"" + good + "\"}}}");
    Files.writeString(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"" + basic.host() + "\":{\"auth\":\"" + bad + "\"}}}");
    String remote = "docker://" + basic.host() + "/secure/defaults:v1";
    Map<String, String> env =
        Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", runtime.toString());
    CliRunner.runWithEnv(
            env, "copy", "--cert-dir", basic.certDir().toString(), "oci:" + src + ":v1", remote)
        .assertSuccess();

    Path userConfig = home.resolve(".config/containers/auth.json");
    Files.writeString(
        userConfig,
        "{\"auths\":{\"https://" + basic.host() + "/v1/\":{\"auth\":\"" + bad + "\"}}}");
    Path dst = tmp.resolve("dst");
    CliRunner.Result wrong =
        CliRunner.runWithEnv(
            Map.of("HOME", home.toString()),
            "copy",
            "--cert-dir",
            basic.certDir().toString(),
            remote,
            "oci:" + dst + ":x");
    assertEquals(1, wrong.exitCode(), wrong.stderr());
    assertTrue(
        wrong
            .stderr()
            .contains(
                "authentication failed (401 UNAUTHORIZED) with credentials from "
                    + userConfig
                    + " (auths \"https://"
                    + basic.host()
                    + "/v1/\")"),
        wrong.stderr());
    assertFalse(wrong.stderr().contains("wrong-pa55"), wrong.stderr());
    assertFalse(wrong.stderr().contains(bad), wrong.stderr());
    assertFalse(Files.exists(dst));

    Files.delete(userConfig);
    Files.writeString(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"" + basic.host() + "\":{\"auth\":\"" + good + "\"}}}");
    CliRunner.runWithEnv(
            Map.of("HOME", home.toString()),
            "copy",
            "--cert-dir",
            basic.certDir().toString(),
            remote,
            "oci:" + dst + ":x")
        .assertSuccess();
    LayoutChecks.assertTag(dst, "x", manifest);
  }

  @Test
  void bearerTokensAreFetchedPerScopeAndReused() throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "bearer", 1024);
    RegistryOptions good =
        options().tlsVerify(false).credentials(new Credentials(USER, PASSWORD, "--creds")).build();
    String remote = "docker://" + bearer.host() + "/tokens/app:v1";
    int before = tokens.issued();
    Copy.Result pushed = copy("oci:" + src + ":v1", remote, good);
    assertEquals(manifest, pushed.descriptor().digest());
    assertEquals(3, pushed.blobsCopied());
    // One token for push access to the repository, reused by every blob and the manifest.
    assertEquals(1, tokens.issued() - before, tokens.scopesAsked().toString());
    assertEquals(
        "repository:tokens/app:pull,push",
        tokens.scopesAsked().get(tokens.scopesAsked().size() - 1));

    Path dst = tmp.resolve("dst");
    int beforePull = tokens.issued();
    copy(remote, "oci:" + dst + ":v1", good);
    LayoutChecks.assertTag(dst, "v1", manifest);
    assertEquals(1, tokens.issued() - beforePull, "one pull token for manifest and blobs");
    assertEquals(java.util.Set.of(RegistryOptions.DEFAULT_USER_AGENT), tokens.userAgents());

    RegistryAuthException e =
        assertThrows(
            RegistryAuthException.class,
            () ->
                copy(
                    remote,
                    "oci:" + tmp.resolve("bad") + ":v1",
                    options()
                        .tlsVerify(false)
                        .credentials(new Credentials(USER, "nope", "--src-creds"))
                        .build()));
    assertEquals(
        "registry "
            + bearer.host()
            + ": repository tokens/app: token endpoint http://"
            + tokens.realm().substring(7, tokens.realm().indexOf("/token"))
            + ": authentication failed (401) with credentials from --src-creds",
        e.getMessage());
    assertFalse(Files.exists(tmp.resolve("bad")));
  }

  @Test
  void credentialsAreNotSentOverPlainHttpWhenThatIsNotAllowed() throws Exception {
    Path src = tmp.resolve("src");
    TestImages.image(src, "v1", arch, "plain", 512);
    String remote = "docker://" + bearer.host() + "/tokens/plain:v1";
    RegistryOptions refusing =
        options()
            .tlsVerify(false)
            .sendCredentialsOverHttp(false)
            .credentials(new Credentials(USER, PASSWORD, "settings.xml <server>"))
            .build();
    int before = tokens.issued();
    int credentialedBefore = tokens.credentialedRequests();
    CredentialsNotSentException e =
        assertThrows(
            CredentialsNotSentException.class, () -> copy("oci:" + src + ":v1", remote, refusing));
    assertEquals(
        "registry "
            + bearer.host()
            + ": repository tokens/plain: credentials from settings.xml <server> not sent: the"
            + " registry http://"
            + bearer.host()
            + " speaks plain HTTP, which would expose them",
        e.getMessage());
    assertEquals(0, tokens.issued() - before, "no token was asked for with the credentials");
    assertEquals(
        credentialedBefore, tokens.credentialedRequests(), "the token endpoint never saw them");
  }

  @Test
  void aCredentialSourceIsAskedOnlyWhenTheRegistryAsksForCredentials() throws Exception {
    AtomicInteger brokenAsked = new AtomicInteger();
    String undecryptable =
        "settings.xml <server> \"" + basic.host() + "\": cannot decrypt its password: no master";
    CredentialSource broken =
        () -> {
          brokenAsked.incrementAndGet();
          throw new CredentialSourceException(undecryptable);
        };
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", arch, "lazy", 512);

    // A registry that never challenges: pushed to and pulled from without asking the source.
    try (TestRegistry open = TestRegistry.plain(tmp.resolve("open"))) {
      String remote = "docker://" + open.host() + "/lazy/app:v1";
      RegistryOptions o = options().tlsVerify(false).credentials(broken).build();
      copy("oci:" + src + ":v1", remote, o);
      copy(remote, "oci:" + tmp.resolve("pulled") + ":v1", o);
      LayoutChecks.assertTag(tmp.resolve("pulled"), "v1", manifest);
    }
    assertEquals(0, brokenAsked.get(), "the source was asked although no registry asked");

    // A registry that asks: the source's own one line, and nothing written.
    String remote = "docker://" + basic.host() + "/lazy/app:v1";
    copy(
        "oci:" + src + ":v1",
        remote,
        options()
            .certDir(basic.certDir())
            .credentials(new Credentials(USER, PASSWORD, "--creds"))
            .build());
    Path dst = tmp.resolve("dst");
    CredentialSourceException e =
        assertThrows(
            CredentialSourceException.class,
            () ->
                copy(
                    remote,
                    "oci:" + dst + ":v1",
                    options().certDir(basic.certDir()).credentials(broken).build()));
    assertEquals(undecryptable, e.getMessage());
    assertTrue(brokenAsked.get() >= 1);
    assertFalse(Files.exists(dst), "the failed pull wrote " + dst);

    // A source that gives credentials is asked once for the whole pull, and they are used.
    AtomicInteger goodAsked = new AtomicInteger();
    CredentialSource good =
        () -> {
          goodAsked.incrementAndGet();
          return new Credentials(USER, PASSWORD, "settings.xml <server>");
        };
    copy(
        remote, "oci:" + dst + ":v1", options().certDir(basic.certDir()).credentials(good).build());
    LayoutChecks.assertTag(dst, "v1", manifest);
    assertEquals(1, goodAsked.get());
  }
}
