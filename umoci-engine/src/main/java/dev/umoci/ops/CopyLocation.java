package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.registry.Reference;

/**
 * One side of {@code umoci copy}, in skopeo's transport syntax: {@code oci:PATH[:TAG]} (a local
 * layout; the tag defaults to {@code latest}) or {@code docker://REFERENCE} (a registry; the tag
 * defaults to {@code latest}).
 */
public sealed interface CopyLocation {
  /** An image in a local OCI layout. */
  record Layout(ImageRef image) implements CopyLocation {
    @Override
    public String toString() {
      return "oci:" + image;
    }
  }

  /** An image in a registry. */
  record Registry(Reference reference) implements CopyLocation {
    @Override
    public String toString() {
      return "docker://" + reference;
    }
  }

  /** Parses {@code text}; {@code which} ("source", "destination") names the argument in errors. */
  static CopyLocation parse(String text, String which) throws InvalidArgumentException {
    if (text.startsWith("oci:")) {
      String rest = text.substring(4);
      if (rest.isEmpty()) {
        throw new InvalidArgumentException(
            "invalid " + which + " \"" + text + "\": layout path is empty");
      }
      return new Layout(ImageRef.parse(rest));
    }
    if (text.startsWith("docker://")) {
      return new Registry(Reference.parse(text.substring(9)).withDefaultTag());
    }
    throw new InvalidArgumentException(
        "invalid " + which + " \"" + text + "\": expected oci:PATH[:TAG] or docker://REFERENCE");
  }
}
