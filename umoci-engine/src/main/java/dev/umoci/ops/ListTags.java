package dev.umoci.ops;

import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code umoci ls}: the tag names of the top-level index entries, in index order. */
public final class ListTags {
  private ListTags() {}

  public record Options(Path layout) {}

  public static List<String> run(Options options) throws IOException {
    try (OciLayout layout = OciLayout.open(options.layout())) {
      return References.list(layout);
    }
  }
}
