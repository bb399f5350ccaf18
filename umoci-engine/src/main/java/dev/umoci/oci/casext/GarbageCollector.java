package dev.umoci.oci.casext;

import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mark-and-sweep garbage collection of a layout (umoci {@code oci/casext/gc.go}). The root set is
 * every descriptor in {@code index.json}, tagged or not. Unmarked blobs under {@code blobs/sha256}
 * are deleted, then stale {@code .umoci-*} temporary directories that nobody holds locked. Nothing
 * else is touched.
 *
 * <p>The layout must be open with {@link OciLayout.Access#EXCLUSIVE} access: then no other process
 * or thread has it open, so every blob that is not reachable now belongs to nobody (a writer that
 * stored blobs and is about to tag them holds the layout open, shared, until it is done).
 */
public final class GarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private GarbageCollector() {}

  /** What a collection removed. */
  public record Result(List<Digest> removedBlobs, List<Path> removedTempDirs) {}

  /**
   * Collects {@code layout}. A broken graph (unreadable manifest) aborts before deleting.
   *
   * @throws IllegalStateException when {@code layout} was not opened for exclusive access
   */
  public static Result collect(OciLayout layout) throws IOException {
    if (layout.access() != OciLayout.Access.EXCLUSIVE) {
      throw new IllegalStateException(
          "garbage collection needs the layout opened with OciLayout.openExclusive");
    }
    return layout.withWriteLock(
        () -> {
          Set<String> marked = new HashSet<>(DescriptorWalk.reachable(layout).keySet());
          List<Digest> removed = new ArrayList<>();
          for (Digest blob : layout.listBlobs()) {
            if (!marked.contains(blob.toString())) {
              LOG.info("garbage collecting blob: {}", blob);
              layout.deleteBlob(blob);
              removed.add(blob);
            }
          }
          List<Path> temps = layout.cleanStaleTempDirs();
          return new Result(removed, temps);
        });
  }
}
