package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.ReferenceNames;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.PlatformSpecifier;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * An image in a layout: {@code path[:tag]} as umoci's {@code --image} takes it, and the platform to
 * choose when the tag names an image index ({@code --platform}; null: the host's).
 */
public record ImageRef(Path layout, String tag, PlatformSpecifier platform) {
  public static final String DEFAULT_TAG = "latest";

  /** {@code layout:tag}, choosing the host's platform in an image index. */
  public ImageRef(Path layout, String tag) {
    this(layout, tag, null);
  }

  /** The same image, choosing {@code platform} (null: the host's) in an image index. */
  public ImageRef withPlatform(PlatformSpecifier platform) {
    return new ImageRef(layout, tag, platform);
  }

  /**
   * The manifest the tag leads to; in an image index the one for {@link #platform} or, when none
   * was given, for the host (see {@link References#resolveManifest(OciLayout, String,
   * PlatformSpecifier, boolean)}).
   */
  public DescriptorPath resolveManifest(OciLayout opened) throws IOException {
    if (platform != null) {
      return References.resolveManifest(opened, tag, platform, true);
    }
    HostPlatform host = HostPlatform.current();
    return References.resolveManifest(
        opened, tag, new PlatformSpecifier(host.os(), host.architecture(), host.variant()), false);
  }

  /**
   * Parses {@code path[:tag]}, split at the first {@code ':'}; the tag defaults to {@code latest}
   * and must be a valid tag name.
   */
  public static ImageRef parse(String value) throws InvalidArgumentException {
    return parse(value, "--image");
  }

  /** {@link #parse(String)}, naming the value {@code what} in errors ("invalid WHAT: ..."). */
  public static ImageRef parse(String value, String what) throws InvalidArgumentException {
    int colon = value.indexOf(':');
    String dir = colon < 0 ? value : value.substring(0, colon);
    String tag = colon < 0 ? DEFAULT_TAG : value.substring(colon + 1);
    if (dir.isEmpty()) {
      throw new InvalidArgumentException("invalid " + what + ": path is empty");
    }
    ReferenceNames.require(tag, what);
    return new ImageRef(path(dir, what), tag);
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
