package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.ReferenceNames;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks a {@link BuildImage} makes before it writes anything, and the image paths it writes:
 * every failure is one line naming the bad value, and nothing has been written when it is thrown.
 */
final class BuildInputs {
  private BuildInputs() {}

  /** Checks tags, history, config changes, deletions and every layer's entries. */
  static void validate(BuildImage.Options o) throws IOException {
    ReferenceNames.require(o.target().tag(), "tag");
    if (o.base() != null) {
      ReferenceNames.require(o.base().tag(), "base image");
    }
    o.history().validate();
    if (o.config() != null) {
      ConfigUpdate.validate(o.config());
    }
    for (String path : o.deletions()) {
      requireImagePath(path, "deletion");
      if (clean(path).equals("/")) {
        throw new InvalidArgumentException("deletion: cannot delete the root directory: " + path);
      }
    }
    for (BuildImage.Layer layer : o.layers()) {
      Set<String> targets = new HashSet<>();
      for (BuildImage.Entry entry : layer.entries()) {
        requireImagePath(entry.target(), layer.createdBy());
        if (!Files.exists(entry.source(), LinkOption.NOFOLLOW_LINKS)) {
          throw new InvalidArgumentException(
              layer.createdBy() + ": source does not exist: " + entry.source());
        }
        if (!targets.add(clean(entry.target()))) {
          throw new InvalidArgumentException(
              layer.createdBy() + ": two entries have the target " + entry.target());
        }
      }
    }
  }

  private static void requireImagePath(String path, String what) throws InvalidArgumentException {
    if (path == null || !path.startsWith("/")) {
      throw new InvalidArgumentException(what + ": not an absolute image path: " + path);
    }
  }

  /** {@code /a/b/c} for {@code /a//b/./c/}: no empty or {@code .} components, no trailing slash. */
  static String clean(String path) throws InvalidArgumentException {
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        throw new InvalidArgumentException("image path must not contain '..': " + path);
      }
    }
    StringBuilder out = new StringBuilder();
    for (byte[] part : PathBytes.cleanComponents(PathBytes.ofText(path))) {
      out.append('/').append(PathBytes.text(part));
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  /** {@code /a}, {@code /a/b} for {@code /a/b/c}; nothing for {@code /} or {@code /a}. */
  static List<String> parents(String cleanPath) {
    Set<String> out = new LinkedHashSet<>();
    int slash = cleanPath.indexOf('/', 1);
    while (slash > 0) {
      out.add(cleanPath.substring(0, slash));
      slash = cleanPath.indexOf('/', slash + 1);
    }
    return new ArrayList<>(out);
  }
}
