package dev.umoci.oci.layout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of a layout directory, which umoci gives every file it adds when run as root, and the
 * test whether a file already has it (a hard-linked blob cannot be given another owner without
 * changing the other layout's file too). Failures to read or set owners are not errors.
 */
final class LayoutOwner {
  private static final Logger LOG = LoggerFactory.getLogger(LayoutOwner.class);

  private final Path root;

  LayoutOwner(Path root) {
    this.root = root;
  }

  /** Gives {@code file} the owner and group of the layout directory, where it can. */
  void match(Path file) {
    try {
      Object rootUid = Files.getAttribute(root, "unix:uid");
      Object rootGid = Files.getAttribute(root, "unix:gid");
      if (!rootUid.equals(Files.getAttribute(file, "unix:uid"))) {
        Files.setAttribute(file, "unix:uid", rootUid);
      }
      if (!rootGid.equals(Files.getAttribute(file, "unix:gid"))) {
        Files.setAttribute(file, "unix:gid", rootGid);
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot give {} the owner of {}: {}", file, root, e.getMessage());
    }
  }

  /** Whether {@code file} (not followed) has the layout directory's owner and group. */
  boolean isSame(Path file) {
    try {
      return Files.getAttribute(root, "unix:uid")
              .equals(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS))
          && Files.getAttribute(root, "unix:gid")
              .equals(Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
