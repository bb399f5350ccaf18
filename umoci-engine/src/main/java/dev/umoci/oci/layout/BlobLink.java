package dev.umoci.oci.layout;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.oci.spec.Descriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a blob as a hard link to another layout's blob file ({@link OciLayout#linkBlob}): the
 * link is made under a temporary name, verified against the descriptor, then renamed into place and
 * the blob directory synced. Whether the owners allow sharing is the caller's check. Without {@code
 * verify} only the size is checked: for a source whose content the caller has already verified (the
 * base-image cache's records of verified blobs).
 */
final class BlobLink {
  private static final Logger LOG = LoggerFactory.getLogger(BlobLink.class);

  private BlobLink() {}

  /**
   * Links {@code source} to {@code target} through a temporary in {@code tempDir}.
   *
   * @return false, having published nothing, when the file system refuses the link
   * @throws dev.umoci.errors.DigestMismatchException when {@code source} does not match
   */
  static boolean publish(
      Path source, Descriptor descriptor, boolean verify, Path target, Path tempDir)
      throws IOException {
    Path temp = TempNames.createFile(tempDir, "link-", "");
    Files.delete(temp);
    try {
      try {
        Files.createLink(temp, source);
      } catch (IOException | UnsupportedOperationException e) {
        LOG.debug("cannot link {} to {}: {}", source, target, e.toString());
        return false;
      }
      if (verify) {
        try (VerifiedInputStream in =
            new VerifiedInputStream(
                Files.newInputStream(temp, LinkOption.NOFOLLOW_LINKS),
                descriptor.digest(),
                descriptor.size())) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      } else if (Files.size(temp) != descriptor.size()) {
        throw new DigestMismatchException(
            "blob "
                + descriptor.digest()
                + " linked from "
                + source
                + ": size "
                + Files.size(temp)
                + ", expected "
                + descriptor.size());
      }
      Files.createDirectories(target.getParent());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      DirectorySync.sync(target.getParent());
      return true;
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
