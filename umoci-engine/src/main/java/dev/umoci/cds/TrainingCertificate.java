package dev.umoci.cds;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed RSA certificate for 127.0.0.1, made with the build JDK's {@code keytool}, for the
 * HTTPS registry of the CDS training: the server's TLS context, and the certificate as {@code
 * ca.crt} in a directory for {@code copy --cert-dir}, so that a verified TLS connection (the
 * default for real registries) is trained too.
 */
final class TrainingCertificate {
  private static final String PASSWORD = "umoci-training";

  private final SSLContext server;
  private final Path certDir;

  private TrainingCertificate(SSLContext server, Path certDir) {
    this.server = server;
    this.certDir = certDir;
  }

  /** Makes the key, the certificate and {@code dir/certs/ca.crt}. */
  static TrainingCertificate make(Path dir) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path store = dir.resolve("training.p12");
    Path certs = Files.createDirectories(dir.resolve("certs"));
    keytool(
        List.of(
            keytool.toString(),
            "-genkeypair",
            "-alias",
            "training",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-dname",
            "CN=127.0.0.1",
            "-ext",
            "san=ip:127.0.0.1",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            store.toString(),
            "-storepass",
            PASSWORD,
            "-keypass",
            PASSWORD));
    keytool(
        List.of(
            keytool.toString(),
            "-exportcert",
            "-rfc",
            "-alias",
            "training",
            "-keystore",
            store.toString(),
            "-storepass",
            PASSWORD,
            "-file",
            certs.resolve("ca.crt").toString()));
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD.toCharArray());
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), null, null);
      return new TrainingCertificate(tls, certs);
    } catch (GeneralSecurityException e) {
      throw new IOException("training certificate: " + e.getMessage(), e);
    }
  }

  private static void keytool(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (InputStream out = p.getInputStream()) {
      out.transferTo(java.io.OutputStream.nullOutputStream());
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("keytool failed: " + String.join(" ", command.subList(0, 2)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
  }

  SSLContext serverContext() {
    return server;
  }

  /** The directory holding {@code ca.crt}, for {@code --cert-dir}. */
  Path certDir() {
    return certDir;
  }
}
