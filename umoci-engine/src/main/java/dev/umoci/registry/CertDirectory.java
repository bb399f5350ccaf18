package dev.umoci.registry;

import dev.umoci.errors.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * A directory of TLS material for one registry, read as containers-image's {@code
 * tlsclientconfig.SetupCertificates} reads it ({@code --cert-dir}, or {@code certs.d/<host[:port]>}
 * ): every {@code *.crt} holds CA certificates to trust; every {@code NAME.cert} (a certificate,
 * optionally followed by its chain) with {@code NAME.key} (its private key, see {@link
 * PemPrivateKeys}) is a client certificate for mutual TLS. A {@code .cert} without its {@code .key}
 * or the reverse, an unreadable file, or a key that does not belong to its certificate is an error
 * naming the file.
 *
 * @param dir the directory read
 * @param authorities the CA certificates of the {@code *.crt} files
 * @param clients the client certificates, in file name order
 */
record CertDirectory(Path dir, List<X509Certificate> authorities, List<ClientCertificate> clients) {

  /** One client certificate: its chain (the certificate first) and key. */
  record ClientCertificate(String name, X509Certificate[] chain, PrivateKey key) {}

  /**
   * Reads {@code dir}; {@code what} names it in errors ({@code --cert-dir /x}, or the {@code
   * certs.d} directory's path).
   */
  static CertDirectory read(Path dir, String what) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new InvalidArgumentException(what + " is not a directory");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.sorted().toList();
    }
    List<X509Certificate> authorities = new ArrayList<>();
    List<ClientCertificate> clients = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.endsWith(".crt")) {
        authorities.addAll(certificates(file, what));
      } else if (name.endsWith(".cert")) {
        String base = name.substring(0, name.length() - ".cert".length());
        Path key = dir.resolve(base + ".key");
        if (!Files.exists(key)) {
          throw new InvalidArgumentException(
              what
                  + ": missing key "
                  + base
                  + ".key for client certificate "
                  + name
                  + " (CA certificates are named *.crt)");
        }
        clients.add(client(file, key, what));
      } else if (name.endsWith(".key")) {
        String base = name.substring(0, name.length() - ".key".length());
        if (!Files.exists(dir.resolve(base + ".cert"))) {
          throw new InvalidArgumentException(
              what + ": missing client certificate " + base + ".cert for key " + name);
        }
      }
    }
    return new CertDirectory(dir, List.copyOf(authorities), List.copyOf(clients));
  }

  /**
   * A key store of the {@link #authorities} (kept out of {@link TrustConfig}, so that a connection
   * without a cert directory never loads the certificate classes); null when there are none.
   */
  KeyStore trustStore() throws GeneralSecurityException {
    if (authorities.isEmpty()) {
      return null;
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    for (int i = 0; i < authorities.size(); i++) {
      store.setCertificateEntry("cert-dir-" + i, authorities.get(i));
    }
    return store;
  }

  /** The key managers of the {@link #clients}; null when there are none. */
  KeyManager[] keyManagers() throws GeneralSecurityException {
    if (clients.isEmpty()) {
      return null;
    }
    // PKCS#12 keys are stored encrypted: a password is needed, which never leaves this store
    char[] password = "umoci".toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    for (ClientCertificate c : clients) {
      store.setKeyEntry(c.name(), c.key(), password, c.chain());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, password);
    return kmf.getKeyManagers();
  }

  private static List<X509Certificate> certificates(Path file, String what) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<X509Certificate> out = new ArrayList<>();
    try {
      for (var cert :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes))) {
        out.add((X509Certificate) cert);
      }
    } catch (CertificateException e) {
      throw new InvalidArgumentException(
          what + ": " + file.getFileName() + " is not a PEM certificate: " + e.getMessage());
    }
    if (out.isEmpty()) {
      throw new InvalidArgumentException(
          what + ": " + file.getFileName() + " holds no PEM certificate");
    }
    return out;
  }

  private static ClientCertificate client(Path certFile, Path keyFile, String what)
      throws IOException {
    List<X509Certificate> chain = certificates(certFile, what);
    PrivateKey key =
        PemPrivateKeys.read(
            Files.readString(keyFile, StandardCharsets.US_ASCII),
            what + ": " + keyFile.getFileName());
    if (!belongTogether(chain.get(0), key)) {
      throw new InvalidArgumentException(
          what
              + ": "
              + keyFile.getFileName()
              + " is not the private key of "
              + certFile.getFileName());
    }
    return new ClientCertificate(
        certFile.getFileName().toString(), chain.toArray(new X509Certificate[0]), key);
  }

  /** Whether {@code key} signs what {@code cert}'s public key verifies (as Go checks a pair). */
  private static boolean belongTogether(X509Certificate cert, PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "RSASSA-PSS" -> null;
          default -> key.getAlgorithm(); // Ed25519, Ed448
        };
    if (algorithm == null) {
      return true;
    }
    byte[] probe = "umoci client certificate check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
