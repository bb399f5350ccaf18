package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.registry.Reference;
import java.io.IOException;

/**
 * One side of {@code umoci copy}, in skopeo's transport syntax: {@code oci:PATH[:TAG]} (a local
 * layout; the tag defaults to {@code latest}, and a source without a tag whose layout has no {@code
 * latest} is its only image, as skopeo takes it) or {@code docker://REFERENCE} (a registry; the tag
 * defaults to {@code latest}).
 */
public sealed interface CopyLocation {
  /** The transport prefix of an image in a registry. */
  String REGISTRY_PREFIX = "docker://";

  /**
   * An image in a local OCI layout.
   *
   * @param tagGiven whether the text named the tag ({@code oci:PATH:TAG}) rather than leaving it to
   *     the default
   */
  record Layout(ImageRef image, boolean tagGiven) implements CopyLocation {
    /**
     * The index entry of {@code opened} (this side's layout) that this source names: its tag's;
     * without a tag given, {@code latest}'s, or else the layout's only entry.
     */
    Descriptor resolve(OciLayout opened) throws IOException {
      return tagGiven
          ? References.resolve(opened, image.tag())
          : References.resolveOrOnly(opened, image.tag());
    }

    /** As written: {@code oci:PATH:TAG}, or {@code oci:PATH} when the tag was left out. */
    @Override
    public String toString() {
      return "oci:" + (tagGiven ? image : image.layout());
    }
  }

  /** An image in a registry. */
  record Registry(Reference reference) implements CopyLocation {
    @Override
    public String toString() {
      return REGISTRY_PREFIX + reference;
    }
  }

  /** Whether {@code text} names an image in a registry ({@code docker://REFERENCE}). */
  static boolean namesRegistry(String text) {
    return text.startsWith(REGISTRY_PREFIX);
  }

  /** Parses {@code text}; {@code which} ("source", "destination") names the argument in errors. */
  static CopyLocation parse(String text, String which) throws InvalidArgumentException {
    if (text.startsWith("oci:")) {
      String rest = text.substring(4);
      if (rest.isEmpty()) {
        throw new InvalidArgumentException(
            "invalid " + which + " \"" + text + "\": layout path is empty");
      }
      return new Layout(ImageRef.parse(rest, which + " \"" + text + "\""), rest.indexOf(':') >= 0);
    }
    if (namesRegistry(text)) {
      return new Registry(
          Reference.parse(text.substring(REGISTRY_PREFIX.length())).withDefaultTag());
    }
    throw new InvalidArgumentException(
        "invalid " + which + " \"" + text + "\": expected oci:PATH[:TAG] or docker://REFERENCE");
  }
}
