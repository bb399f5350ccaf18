package dev.umoci.oci.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.MediaTypes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link OciLayout#EMPTY_JSON} spells out its digest; it must be the one of {@code {}}. */
class EmptyJsonDescriptorTest {
  @Test
  void theWrittenOutDigestIsTheSha256OfTheEmptyJsonObject() {
    byte[] content = "{}".getBytes(StandardCharsets.UTF_8);
    assertEquals(Digest.sha256(content), OciLayout.EMPTY_JSON.digest());
    assertEquals(Digest.ofSha256(sha256WithTheJdk(content)), OciLayout.EMPTY_JSON.digest());
    assertEquals(content.length, OciLayout.EMPTY_JSON.size());
    assertEquals(MediaTypes.EMPTY_JSON, OciLayout.EMPTY_JSON.mediaType());
  }

  private static byte[] sha256WithTheJdk(byte[] content) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(content);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
