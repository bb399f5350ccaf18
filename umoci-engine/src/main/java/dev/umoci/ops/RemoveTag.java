package dev.umoci.ops;

import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import java.io.IOException;

/**
 * {@code umoci rm}: removes every index entry carrying the tag. As in umoci, removing a tag that
 * does not exist succeeds (with a warning) and leaves index.json untouched.
 */
public final class RemoveTag {
  private RemoveTag() {}

  public record Options(ImageRef image) {}

  /** Returns how many entries were removed. */
  public static int run(Options options) throws IOException {
    try (OciLayout layout = OciLayout.open(options.image().layout())) {
      return References.delete(layout, options.image().tag());
    }
  }
}
