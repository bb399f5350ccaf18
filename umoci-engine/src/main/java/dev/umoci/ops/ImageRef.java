package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.ReferenceNames;
import dev.umoci.sys.PathBytes;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** An image in a layout: {@code path[:tag]} as umoci's {@code --image} takes it. */
public record ImageRef(Path layout, String tag) {
  public static final String DEFAULT_TAG = "latest";

  /**
   * Parses {@code path[:tag]}, split at the first {@code ':'}; the tag defaults to {@code latest}
   * and must be a valid tag name.
   */
  public static ImageRef parse(String value) throws InvalidArgumentException {
    int colon = value.indexOf(':');
    String dir = colon < 0 ? value : value.substring(0, colon);
    String tag = colon < 0 ? DEFAULT_TAG : value.substring(colon + 1);
    if (dir.isEmpty()) {
      throw new InvalidArgumentException("invalid --image: path is empty");
    }
    ReferenceNames.require(tag, "--image");
    return new ImageRef(path(dir, "--image"), tag);
  }

  /** Checks a {@code --layout} value: not empty, no {@code ':'}. */
  public static Path parseLayout(String value) throws InvalidArgumentException {
    if (value.isEmpty()) {
      throw new InvalidArgumentException("invalid --layout: path is empty");
    }
    if (value.contains(":")) {
      throw new InvalidArgumentException(
          "invalid --layout: path contains ':' character: \"" + value + "\"");
    }
    return path(value, "--layout");
  }

  /**
   * {@link PathBytes#fromText}, with a path the file system refuses (a NUL byte) as a user error.
   */
  private static Path path(String value, String what) throws InvalidArgumentException {
    try {
      return PathBytes.fromText(value);
    } catch (InvalidPathException e) {
      throw new InvalidArgumentException("invalid " + what + ": " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return layout + ":" + tag;
  }
}
