package dev.umoci.oci.layout;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.SizeMismatchException;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.MediaTypes;
import java.io.IOException;

/**
 * What a descriptor must satisfy before a layout reads or links the blob it names: a digest of an
 * algorithm the layout stores (sha256), a non-negative size, the canonical digest and size for the
 * empty JSON media type, and embedded {@code data} that matches both. Stateless.
 */
final class DescriptorCheck {
  private DescriptorCheck() {}

  /**
   * @throws InvalidImageException for a digest of another algorithm than sha256
   */
  static void checkAlgorithm(Digest digest) throws InvalidImageException {
    if (!Digest.SHA256.equals(digest.algorithm())) {
      throw new InvalidImageException(
          "unsupported digest algorithm " + digest.algorithm() + " in " + digest);
    }
  }

  /**
   * @throws InvalidImageException for a missing digest, a negative size, a foreign algorithm or a
   *     non-canonical empty descriptor
   * @throws DigestMismatchException when embedded data does not match the digest
   * @throws SizeMismatchException when embedded data does not match the size
   */
  static void check(Descriptor d) throws IOException {
    if (d.digest() == null) {
      throw new InvalidImageException("descriptor has no digest");
    }
    if (d.size() < 0) {
      throw new InvalidImageException(
          "descriptor " + d.digest() + ": descriptor size must not be negative (" + d.size() + ")");
    }
    checkAlgorithm(d.digest());
    Descriptor empty = OciLayout.EMPTY_JSON;
    if (MediaTypes.EMPTY_JSON.equals(d.mediaType())
        && !(empty.digest().equals(d.digest()) && empty.size() == d.size())) {
      throw new InvalidImageException(
          "descriptor " + d.digest() + ": empty JSON descriptor does not match the canonical {}");
    }
    if (d.data() != null) {
      Digest actual = Digest.sha256(d.data());
      if (!actual.equals(d.digest())) {
        throw new DigestMismatchException(
            "invalid embedded descriptor data: expected "
                + d.digest()
                + " not "
                + actual
                + ": verified reader digest mismatch");
      }
      if (d.data().length != d.size()) {
        throw new SizeMismatchException(
            "invalid embedded descriptor data: expected "
                + d.size()
                + " bytes not "
                + d.data().length
                + " bytes: verified reader size mismatch");
      }
    }
  }
}
