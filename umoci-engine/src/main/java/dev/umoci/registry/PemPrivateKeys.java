package dev.umoci.registry;

import dev.umoci.errors.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads an unencrypted PEM private key, with the JDK alone, in the formats {@code openssl} writes
 * and Go's {@code tls.LoadX509KeyPair} reads: PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519,
 * Ed448), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}, whose
 * curve must be named in it, as {@code openssl} writes it). The last two are wrapped into PKCS#8
 * for the JDK's {@link KeyFactory}. Other PEM blocks in the file ({@code EC PARAMETERS}) are passed
 * over.
 */
final class PemPrivateKeys {
  /** What the error for an unreadable key lists. */
  static final String FORMATS =
      "an unencrypted PEM key: PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 (BEGIN RSA PRIVATE KEY)"
          + " or SEC1 (BEGIN EC PRIVATE KEY)";

  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private PemPrivateKeys() {}

  /** The key in {@code pem}; {@code name} names the file in errors. */
  static PrivateKey read(String pem, String name) throws InvalidArgumentException {
    try {
      byte[] pkcs8 = block(pem, "PRIVATE KEY");
      if (pkcs8 != null) {
        return fromPkcs8(pkcs8, name);
      }
      byte[] pkcs1 = block(pem, "RSA PRIVATE KEY");
      if (pkcs1 != null) {
        return KeyFactory.getInstance("RSA")
            .generatePrivate(new PKCS8EncodedKeySpec(pkcs8(RSA_ALGORITHM, pkcs1)));
      }
      byte[] sec1 = block(pem, "EC PRIVATE KEY");
      if (sec1 != null) {
        byte[] curve = sec1Curve(sec1);
        if (curve == null) {
          throw new InvalidArgumentException(name + ": the EC key does not name its curve");
        }
        byte[] algorithm = der(0x30, EC_PUBLIC_KEY_OID, curve);
        return KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(pkcs8(algorithm, sec1)));
      }
    } catch (GeneralSecurityException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new InvalidArgumentException(name + ": cannot read the private key (" + e + ")");
    }
    throw new InvalidArgumentException(name + ": not " + FORMATS);
  }

  private static PrivateKey fromPkcs8(byte[] der, String name)
      throws GeneralSecurityException, InvalidArgumentException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    GeneralSecurityException last = null;
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new InvalidArgumentException(
        name + ": a PKCS#8 key of an algorithm the JDK does not read (" + last.getMessage() + ")");
  }

  /** The bytes of the PEM block labelled {@code label}, or null when there is none. */
  private static byte[] block(String pem, String label) {
    String begin = "-----BEGIN " + label + "-----";
    int from = pem.indexOf(begin);
    if (from < 0) {
      return null;
    }
    int to = pem.indexOf("-----END " + label + "-----", from);
    if (to < 0) {
      throw new IllegalArgumentException("no END " + label + " line");
    }
    String body = pem.substring(from + begin.length(), to);
    if (body.contains(":")) {
      // "Proc-Type: 4,ENCRYPTED" and "DEK-Info:" headers: an encrypted traditional key
      throw new IllegalArgumentException("an encrypted key");
    }
    return Base64.getMimeDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code PrivateKeyInfo}: version 0, the algorithm identifier, the key as an octet string. */
  private static byte[] pkcs8(byte[] algorithm, byte[] key) {
    return der(0x30, new byte[] {0x02, 0x01, 0x00}, algorithm, der(0x04, key));
  }

  /**
   * The curve OID (as a whole DER object) of a SEC1 {@code ECPrivateKey}: {@code SEQUENCE {
   * version, privateKey OCTET STRING, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }}; null when
   * the parameters are missing.
   */
  private static byte[] sec1Curve(byte[] der) {
    int[] seq = header(der, 0);
    int at = seq[0];
    int end = seq[0] + seq[1];
    while (at < end) {
      int tag = der[at] & 0xff;
      int[] h = header(der, at);
      if (tag == 0xa0) {
        return java.util.Arrays.copyOfRange(der, h[0], h[0] + h[1]);
      }
      at = h[0] + h[1];
    }
    return null;
  }

  /** Of the DER object at {@code at}: where its content starts, and its length. */
  private static int[] header(byte[] der, int at) {
    int len = der[at + 1] & 0xff;
    int content = at + 2;
    if (len >= 0x80) {
      int n = len & 0x7f;
      if (n == 0 || n > 3) {
        throw new IllegalArgumentException("bad DER length");
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[content++] & 0xff);
      }
    }
    if (content + len > der.length) {
      throw new IllegalArgumentException("truncated DER");
    }
    return new int[] {content, len};
  }

  /** A DER object of {@code tag} whose content is {@code parts} in order. */
  private static byte[] der(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    int n = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
