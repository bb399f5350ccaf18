package dev.umoci.mtree;

/**
 * A content checksum an mtree keyword asks for, with the keyword it is written under. All but
 * {@link #CKSUM} (POSIX cksum(1), a decimal CRC) are lowercase hex message digests.
 */
public enum DigestKind {
  CKSUM("cksum", null),
  MD5("md5digest", "MD5"),
  SHA1("sha1digest", "SHA-1"),
  SHA256("sha256digest", "SHA-256"),
  SHA384("sha384digest", "SHA-384"),
  SHA512("sha512digest", "SHA-512"),
  SHA512_256("sha512256digest", "SHA-512/256");

  private final String keyword;
  private final String jcaName;

  DigestKind(String keyword, String jcaName) {
    this.keyword = keyword;
    this.jcaName = jcaName;
  }

  /** The keyword the value is written under. */
  public String keyword() {
    return keyword;
  }

  /** The {@link java.security.MessageDigest} algorithm, null for {@link #CKSUM}. */
  public String jcaName() {
    return jcaName;
  }

  /** The kind a walker keyword (or synonym) asks for, or null when it is not a checksum. */
  public static DigestKind ofKeyword(String keyword) {
    String canonical = Keywords.synonym(keyword);
    for (DigestKind k : values()) {
      if (k.keyword.equals(canonical)) {
        return k;
      }
    }
    return null;
  }
}
