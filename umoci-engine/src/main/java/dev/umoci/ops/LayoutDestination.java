package dev.umoci.ops;

import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.errors.LayoutLockedException;
import dev.umoci.oci.casext.DescriptorWalk;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.sys.ExitRemovals;
import dev.umoci.sys.TreeRemover;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout a {@code copy} writes into, and the undoing of a failed one.
 *
 * <p>The layout is opened, or created when it is missing (with missing parent directories, as umoci
 * creates them); when another copy creates it at the same moment, this one opens it instead of
 * failing. Every blob and manifest the copy publishes is recorded ({@link #published}).
 *
 * <p>After a failure, {@link #undo} removes what the copy published that nothing references, and,
 * when this copy created the layout and no image is tagged in it, the layout and the directories
 * made for it. It does so only when nothing else uses the layout at that moment (it opens it as
 * {@code gc} does, without waiting): another copy may have found one of those blobs present,
 * skipped it, and be about to tag an image that needs it, or may have tagged one in the layout this
 * copy created. When the layout is in use, what was published stays, verified and unreferenced, for
 * {@code gc}; nothing unverified is ever published, so the layout stays valid either way.
 *
 * <p>A copy stopped by Ctrl-C or {@code SIGTERM} before it ends is undone the same way, at shutdown
 * ({@link ExitRemovals}): a first pull into a new layout stopped halfway leaves no layout behind,
 * as an interrupted {@code unpack} leaves no bundle.
 */
final class LayoutDestination implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(LayoutDestination.class);

  private final Path path;
  private final Path createdFrom;
  private final OciLayout layout;
  private final Set<Digest> published = ConcurrentHashMap.newKeySet();
  private final ExitRemovals.Registration atExit;

  private LayoutDestination(Path path, Path createdFrom, OciLayout layout) {
    this.path = path;
    this.createdFrom = createdFrom;
    this.layout = layout;
    this.atExit = ExitRemovals.register(this::undoAtExit);
  }

  /** Opens the layout at {@code path}, creating it (and missing parents) when it is missing. */
  static LayoutDestination open(Path path) throws IOException {
    Path top = topMissing(path);
    if (top != null) {
      try {
        return new LayoutDestination(path, top, OciLayout.create(path));
      } catch (InvalidLayoutException e) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
          throw e;
        }
        // made meanwhile by another copy: write into it as into any existing layout
      }
    }
    if (isEmptyDirectory(path)) {
      // as skopeo fills a directory made by mktemp -d; kept (initialised) if the copy fails
      try {
        return new LayoutDestination(path, null, OciLayout.createInEmpty(path));
      } catch (InvalidLayoutException e) {
        // filled meanwhile: open what is there now
      }
    }
    return new LayoutDestination(path, null, OciLayout.open(path));
  }

  private static boolean isEmptyDirectory(Path path) throws IOException {
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.findAny().isEmpty();
    }
  }

  /** The highest of {@code path} and its ancestors that does not exist; null when path exists. */
  private static Path topMissing(Path path) {
    Path abs = path.toAbsolutePath();
    Path top = null;
    for (Path p = abs;
        p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS);
        p = p.getParent()) {
      top = p;
    }
    return top;
  }

  OciLayout layout() {
    return layout;
  }

  /**
   * Records one blob or manifest the copy publishes (from any thread: as {@code Puller.pull}'s
   * {@link Consumer}), told just before its commit: a commit that races the undo at shutdown then
   * either failed (closing the layout removed its temporary file) or is known to the undo.
   */
  void published(Digest digest) {
    published.add(digest);
  }

  /**
   * Closes the layout: the copy is over (when it failed, its caller then calls {@link #undo}), so
   * nothing is undone at shutdown any more.
   */
  @Override
  public void close() throws IOException {
    atExit.close();
    layout.close();
  }

  /**
   * At shutdown, while the copy's threads still run: drops this copy's hold on the layout (so that
   * {@link #undo} can find it unused) and undoes what it published. A tag the copy wrote first
   * keeps its image: undo never removes what a tag references, nor a layout with a tag.
   */
  private void undoAtExit() {
    try {
      layout.close();
    } catch (IOException | RuntimeException e) {
      // the layout is given up either way
    }
    undo();
  }

  /**
   * Undoes a failed copy, once {@link #close}d (see the class comment). Problems are logged, not
   * thrown: the copy's own failure is the one to report.
   */
  void undo() {
    if (published.isEmpty() && createdFrom == null) {
      return;
    }
    try (OciLayout sole = OciLayout.open(path, Duration.ZERO, OciLayout.Access.EXCLUSIVE)) {
      sole.withWriteLock(
          () -> {
            Map<String, Descriptor> reachable = DescriptorWalk.reachable(sole);
            for (Digest d : published) {
              if (!reachable.containsKey(d.toString())) {
                sole.deleteBlob(d);
              }
            }
            List<Descriptor> tagged = sole.readIndex().manifests();
            if (createdFrom != null && (tagged == null || tagged.isEmpty())) {
              removeCreatedDirectories();
            }
            return null;
          });
    } catch (LayoutLockedException e) {
      LOG.info(
          "{}: in use meanwhile, so the {} blobs the failed copy added stay there for gc",
          path,
          published.size());
    } catch (IOException | RuntimeException e) {
      LOG.warn("{}: cannot undo the failed copy: {}", path, e.getMessage());
    }
  }

  /** Removes the layout, then each parent made for it, up to the first that is not empty. */
  private void removeCreatedDirectories() throws IOException {
    TreeRemover.direct().remove(path);
    Path abs = path.toAbsolutePath();
    for (Path p = abs.getParent(); p != null && p.startsWith(createdFrom); p = p.getParent()) {
      try {
        Files.deleteIfExists(p);
      } catch (DirectoryNotEmptyException e) {
        return;
      }
    }
  }
}
