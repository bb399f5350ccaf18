package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.sys.NativeSha256;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest {@code algorithm:hex}. Only sha256 content is ever stored in a layout, but
 * sha512 digests parse so that foreign descriptors can be reported precisely.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
  public static final String SHA256 = "sha256";
  private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512_HEX = Pattern.compile("[a-f0-9]{128}");

  public Digest {
    boolean ok =
        (SHA256.equals(algorithm) && SHA256_HEX.matcher(hex).matches())
            || ("sha512".equals(algorithm) && SHA512_HEX.matcher(hex).matches());
    if (!ok) {
      throw new IllegalArgumentException("invalid digest: " + algorithm + ":" + hex);
    }
  }

  /** Parses {@code sha256:<64 hex>}; anything else is an {@link InvalidImageException}. */
  public static Digest parse(String text) throws InvalidImageException {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon < 0) {
      throw new InvalidImageException("invalid digest " + quote(text) + ": expected sha256:<hex>");
    }
    try {
      return new Digest(text.substring(0, colon), text.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidImageException("invalid digest " + quote(text) + ": expected sha256:<hex>");
    }
  }

  @JsonCreator
  static Digest fromJson(String text) throws InvalidImageException {
    return parse(text);
  }

  /** The sha256 digest of {@code bytes}. */
  public static Digest sha256(byte[] bytes) {
    return ofSha256(newSha256().digest(bytes));
  }

  /** Wraps a finished sha256 hash. */
  public static Digest ofSha256(byte[] hash) {
    return new Digest(SHA256, HexFormat.of().formatHex(hash));
  }

  /**
   * A fresh sha256 {@link MessageDigest}: the system libcrypto's when it can be loaded (fast
   * without the C2 compiler, see {@link NativeSha256}), else the JDK's.
   */
  public static MessageDigest newSha256() {
    if (NativeSha256.available()) {
      return new NativeSha256();
    }
    return jdkSha256();
  }

  /** The JDK's own sha256 {@link MessageDigest}. */
  static MessageDigest jdkSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always provides SHA-256", e);
    }
  }

  /** The file name of this blob below {@code blobs/}: {@code <algorithm>/<hex>}. */
  public String blobPath() {
    return algorithm + "/" + hex;
  }

  @JsonValue
  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }

  private static String quote(String s) {
    return s == null ? "null" : '"' + s + '"';
  }

  // equals and hashCode are written out: a record's generated ones are bootstrapped through
  // invokedynamic (java.lang.runtime.ObjectMethods), which spins 7-8 method-handle classes on the
  // first call in every process, and the AOT cache does not keep them. Same contract: every
  // component compared with Objects.equals (primitives with ==), in declaration order.
  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof Digest o
            && Objects.equals(algorithm, o.algorithm)
            && Objects.equals(hex, o.hex));
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, hex);
  }
}
