package dev.umoci.ops;

import dev.umoci.oci.casext.GarbageCollector;
import dev.umoci.oci.layout.OciLayout;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code umoci gc}: removes unreachable blobs and stale temporary directories. It waits (boundedly)
 * until no other command has the layout open, and other commands wait for it in turn.
 */
public final class GarbageCollect {
  private GarbageCollect() {}

  public record Options(Path layout) {}

  public static GarbageCollector.Result run(Options options) throws IOException {
    try (OciLayout layout = OciLayout.openExclusive(options.layout())) {
      return GarbageCollector.collect(layout);
    }
  }
}
