package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.oci.spec.Digest;
import dev.umoci.ops.Copy;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.RegistryExtension;
import dev.umoci.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cert directories as skopeo reads them, against a real registry that requires client certificates
 * (mutual TLS): {@code *.crt} CA certificates, {@code NAME.cert} + {@code NAME.key} client
 * certificates (PKCS#8, PKCS#1 and SEC1 keys), per side ({@code --src-cert-dir}, {@code
 * --dest-cert-dir}) or from {@code ~/.config/containers/certs.d/<host:port>/}; and what a failed
 * handshake says.
 */
class ClientCertificateTest {
  @RegisterExtension static final RegistryExtension registry = RegistryExtension.mutualTls();
  @TempDir static Path shared;
  static String arch;

  /** The registry's CA and a client certificate with a PKCS#8 key. */
  static Path full;

  /** The registry's CA only. */
  static Path caOnly;

  static String remote;
  static Digest manifest;

  @TempDir Path tmp;

  @BeforeAll
  static void clientCertificateAndImage() throws Exception {
    arch = Copy.hostPlatform().architecture();
    caOnly = Files.createDirectories(shared.resolve("ca-only"));
    Files.copy(registry.get().certDir().resolve("ca.crt"), caOnly.resolve("ca.crt"));
    full = Files.createDirectories(shared.resolve("full"));
    Files.copy(registry.get().certDir().resolve("ca.crt"), full.resolve("ca.crt"));
    registry
        .get()
        .clientCertificate(
            full.resolve("client.cert"),
            full.resolve("client.key"),
            "genpkey",
            "-algorithm",
            "RSA",
            "-out",
            "KEY");
    Path src = shared.resolve("src");
    manifest = TestImages.image(src, "v1", arch, "mutual-tls", 256);
    remote = "docker://" + registry.host() + "/mtls/app:v1";
    CliRunner.run("copy", "--dest-cert-dir", full.toString(), "oci:" + src + ":v1", remote)
        .assertSuccess();
  }

  @Test
  void withoutAClientCertificateTheCopyFailsInOneLineSayingWhatToGive() throws Exception {
    Path dst = tmp.resolve("dst");
    CliRunner.Result r =
        CliRunner.run("copy", "--src-cert-dir", caOnly.toString(), remote, "oci:" + dst + ":v1");
    assertEquals(1, r.exitCode(), r.stderr());
    String prefix =
        "umoci: registry "
            + registry.host()
            + ": ping /v2/: TLS handshake failed: the registry wants a client certificate and got"
            + " none it accepts (";
    assertTrue(r.stderr().startsWith(prefix), r.stderr());
    assertTrue(
        r.stderr()
            .endsWith(
                "); give a client certificate as DIR/NAME.cert with its key DIR/NAME.key, with"
                    + " --src-cert-dir DIR or in ~/.config/containers/certs.d/"
                    + registry.host()
                    + "/\n"),
        r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertFalse(Files.exists(dst));

    // Without verification the port is tried on plain HTTP first; the TLS failure is reported.
    CliRunner.Result unverified =
        CliRunner.run("copy", "--src-tls-verify=false", remote, "oci:" + dst + ":v1");
    assertEquals(1, unverified.exitCode(), unverified.stderr());
    assertTrue(unverified.stderr().startsWith(prefix), unverified.stderr());
    assertFalse(Files.exists(dst));

    CliRunner.run("copy", "--src-cert-dir", full.toString(), remote, "oci:" + dst + ":v1")
        .assertSuccess();
    LayoutChecks.assertTag(dst, "v1", manifest);
  }

  @Test
  void theRegistrysCertsDDirectoryIsUsedWithoutACertDir() throws Exception {
    Path home = tmp.resolve("home");
    Path hostDir = home.resolve(".config/containers/certs.d/" + registry.host());
    Files.createDirectories(hostDir.getParent());
    copyDirectory(full, hostDir);
    Path dst = tmp.resolve("dst");
    CliRunner.runWithEnv(Map.of("HOME", home.toString()), "copy", remote, "oci:" + dst + ":v1")
        .assertSuccess();
    LayoutChecks.assertTag(dst, "v1", manifest);

    // The /etc directories come after it, injected here as the options' list.
    Path etc = tmp.resolve("etc-containers-certs.d");
    copyDirectory(full, etc.resolve(registry.host()));
    Copy.Result pulled =
        Copy.run(
            Copy.Options.builder(remote, "oci:" + dst + ":etc")
                .registry(
                    RegistryOptions.builder()
                        .environment(Map.of())
                        .perHostCertDirs(List.of(tmp.resolve("nothing-here"), etc))
                        .build())
                .build());
    assertEquals(manifest, pulled.descriptor().digest());

    // An explicit cert dir wins over certs.d: without a client certificate the copy fails.
    CliRunner.Result explicit =
        CliRunner.runWithEnv(
            Map.of("HOME", home.toString()),
            "copy",
            "--cert-dir",
            caOnly.toString(),
            remote,
            "oci:" + dst + ":x");
    assertEquals(1, explicit.exitCode(), explicit.stderr());
    assertTrue(explicit.stderr().contains("wants a client certificate"), explicit.stderr());
  }

  @Test
  void pkcs1AndSec1KeysAreReadAndTheCertificateIsSentWithoutVerification() throws Exception {
    Path rsa = Files.createDirectories(tmp.resolve("pkcs1"));
    registry
        .get()
        .clientCertificate(
            rsa.resolve("client.cert"),
            rsa.resolve("client.key"),
            "genrsa",
            "-traditional",
            "-out",
            "KEY",
            "2048");
    assertTrue(Files.readString(rsa.resolve("client.key")).contains("BEGIN RSA PRIVATE KEY"));
    Path ec = Files.createDirectories(tmp.resolve("sec1"));
    registry
        .get()
        .clientCertificate(
            ec.resolve("ec-client.cert"),
            ec.resolve("ec-client.key"),
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-out",
            "KEY");
    assertTrue(Files.readString(ec.resolve("ec-client.key")).contains("BEGIN EC PRIVATE KEY"));
    Path dst = tmp.resolve("dst");
    for (Path dir : List.of(rsa, ec)) {
      // No CA certificate here: verification is off, the client certificate still goes.
      CliRunner.run(
              "copy",
              "--src-tls-verify=false",
              "--src-cert-dir",
              dir.toString(),
              remote,
              "oci:" + dst + ":" + dir.getFileName())
          .assertSuccess();
      LayoutChecks.assertTag(dst, dir.getFileName().toString(), manifest);
    }
  }

  @Test
  void badCertDirectoriesAreOneLineErrorsNamingTheFile() throws Exception {
    Path noKey = Files.createDirectories(tmp.resolve("no-key"));
    Files.copy(full.resolve("client.cert"), noKey.resolve("client.cert"));
    assertCertDirError(
        noKey,
        "--cert-dir "
            + noKey
            + ": missing key client.key for client certificate client.cert (CA certificates are"
            + " named *.crt)");

    Path noCert = Files.createDirectories(tmp.resolve("no-cert"));
    Files.copy(full.resolve("client.key"), noCert.resolve("client.key"));
    assertCertDirError(
        noCert,
        "--cert-dir " + noCert + ": missing client certificate client.cert for key client.key");

    Path mismatch = Files.createDirectories(tmp.resolve("mismatch"));
    Files.copy(full.resolve("client.cert"), mismatch.resolve("client.cert"));
    registry
        .get()
        .clientCertificate(
            tmp.resolve("other.cert"),
            mismatch.resolve("client.key"),
            "genpkey",
            "-algorithm",
            "RSA",
            "-out",
            "KEY");
    assertCertDirError(
        mismatch, "--cert-dir " + mismatch + ": client.key is not the private key of client.cert");

    Path encrypted = Files.createDirectories(tmp.resolve("encrypted"));
    Files.copy(full.resolve("client.cert"), encrypted.resolve("client.cert"));
    dev.umoci.testing.ExternalTool.run(
            TestRegistry.OPENSSL,
            "pkey",
            "-in",
            full.resolve("client.key").toString(),
            "-aes256",
            "-passout",
            "pass:secret",
            "-out",
            encrypted.resolve("client.key").toString())
        .assertSuccess();
    assertCertDirError(
        encrypted,
        "--cert-dir "
            + encrypted
            + ": client.key: not an unencrypted PEM key: PKCS#8 (BEGIN PRIVATE KEY), PKCS#1"
            + " (BEGIN RSA PRIVATE KEY) or SEC1 (BEGIN EC PRIVATE KEY)");
  }

  private void assertCertDirError(Path dir, String message) {
    Path dst = tmp.resolve("never");
    CliRunner.Result r =
        CliRunner.run("copy", "--cert-dir", dir.toString(), remote, "oci:" + dst + ":v1");
    assertEquals(1, r.exitCode(), r.stderr());
    assertEquals("umoci: " + message + "\n", r.stderr());
    assertFalse(Files.exists(dst));
  }

  @Test
  void anUntrustedRegistryCertificateSaysHowToTrustItInOneLine() {
    Path dst = tmp.resolve("dst");
    CliRunner.Result r = CliRunner.run("copy", remote, "oci:" + dst + ":v1");
    assertEquals(1, r.exitCode(), r.stderr());
    assertEquals(
        "umoci: registry "
            + registry.host()
            + ": ping /v2/: TLS handshake failed: the registry's certificate is not trusted"
            + " (unable to find valid certification path to requested target); to trust it, give"
            + " its CA certificate as DIR/NAME.crt with --src-cert-dir DIR, or skip verification"
            + " with --src-tls-verify=false\n",
        r.stderr());
    assertFalse(Files.exists(dst));
  }

  private static void copyDirectory(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
