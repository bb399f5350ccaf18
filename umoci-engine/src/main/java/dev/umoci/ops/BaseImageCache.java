package dev.umoci.ops;

import dev.umoci.errors.ReferenceNotFoundException;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.registry.MirroredSource;
import dev.umoci.registry.PlatformChoice;
import dev.umoci.registry.Puller;
import dev.umoci.registry.Reference;
import dev.umoci.registry.RegistryOptions;
import dev.umoci.registry.RegistryUnreachableException;
import dev.umoci.registry.TransferListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-user cache of base images pulled from registries: one OCI layout (by default {@code
 * $XDG_CACHE_HOME/umoci-java/bases}, else {@code ~/.cache/umoci-java/bases}) shared by every
 * project and build. Each pulled image is tagged {@code <reference>+<platform>} (for example {@code
 * docker.io/library/eclipse-temurin:21-jre+linux-amd64}). Everything in it was verified by digest
 * when it was pulled and is verified again when read (a build linking a blob whose verification
 * record still holds does not read it: see below).
 *
 * <p>A digest reference found in the cache is used without any network access; a tag reference is
 * resolved again when online (only the manifest travels when nothing changed) and taken from the
 * cache when offline. Several processes may use the cache at once: blobs are published by atomic
 * rename, tags under the layout lock, and a failed pull keeps its verified blobs for the others.
 *
 * <p>Beside the layout, {@code bases.verified/} records each blob the cache verified ({@link
 * VerifiedBlobRecords}), so that a build links a cached base layer without reading it again.
 */
public final class BaseImageCache {
  private static final Logger LOG = LoggerFactory.getLogger(BaseImageCache.class);

  /** How long a temporary directory must have been left unchanged before it counts as left over. */
  public static final Duration LEFTOVER_AGE = Duration.ofMinutes(10);

  private final Path root;

  public BaseImageCache(Path root) {
    this.root = root;
  }

  /**
   * The cache of the user whose environment is {@code env} ({@code XDG_CACHE_HOME}, {@code HOME}).
   */
  public static BaseImageCache forUser(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isEmpty()
            ? Path.of(xdg)
            : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
    return new BaseImageCache(base.resolve("umoci-java").resolve("bases"));
  }

  /** The cache's OCI layout directory. */
  public Path layout() {
    return root;
  }

  /**
   * A cached image: {@link #image()} names it in the cache layout; {@code descriptor} is its
   * manifest (or index, for {@link PlatformChoice#whole()}).
   */
  public record Entry(ImageRef image, Descriptor descriptor, boolean pulled) {}

  /**
   * The cached image for {@code ref} and {@code platform}, pulled first when needed.
   *
   * @param offline never contact the registry; fail when the image is not cached
   * @throws ReferenceNotFoundException offline, when the image is not in the cache
   */
  public Entry resolve(
      Reference ref,
      PlatformChoice platform,
      boolean offline,
      RegistryOptions registry,
      TransferListener listener)
      throws IOException {
    Reference full = ref.withDefaultTag();
    String tag = tagFor(full, platform);
    ImageRef image = new ImageRef(root, tag);
    Descriptor cached = cached(tag);
    if (cached != null && (offline || full.digest() != null)) {
      LOG.debug("base image {} ({}) from the cache: {}", full, platform, cached.digest());
      return new Entry(image, cached, false);
    }
    if (offline) {
      throw new ReferenceNotFoundException(
          "base image "
              + full
              + " ("
              + platform
              + ") is not in the cache "
              + root
              + " and the build is offline: build once online to pull it");
    }
    Files.createDirectories(root.getParent());
    // Through the mirrors of full, if it has any, else from its registry: either way the image is
    // kept under full's tag, wherever it came from.
    MirroredSource found;
    try {
      found = MirroredSource.open(full, registry);
    } catch (RegistryUnreachableException e) {
      if (cached == null) {
        throw e;
      }
      throw cachedHint(e, full, cached);
    }
    try (MirroredSource source = found;
        OciLayout layout = openOrCreate()) {
      removeLeftovers(layout);
      // What a failed pull published stays: another build may count on it, and the next pull
      // of this base finds it there.
      Puller.Result r =
          Puller.pull(
              source,
              platform,
              layout,
              Puller.Manifests.AS_SERVED,
              recording(layout, listener),
              Puller.NOBODY);
      References.update(layout, tag, r.descriptor());
      return new Entry(image, r.descriptor(), r.blobsFetched() > 0);
    }
  }

  /**
   * The cached image of {@code archive}, imported first when the cache has no image for the
   * archive's content ({@link ArchiveBaseImport}). Needs no network, online or offline; {@code env}
   * gives {@code TMPDIR}.
   */
  public Entry resolveArchive(CopyLocation.Archive archive, Map<String, String> env)
      throws IOException {
    String tag = ArchiveBaseImport.tagFor(archive);
    ImageRef image = new ImageRef(root, tag);
    Descriptor cached = cached(tag);
    if (cached != null) {
      LOG.debug("base image {} from the cache: {}", archive, cached.digest());
      return new Entry(image, cached, false);
    }
    LOG.info("importing base image {} into the cache {}", archive, root);
    Files.createDirectories(root.getParent());
    try (OciLayout layout = openOrCreate()) {
      removeLeftovers(layout);
    }
    return new Entry(image, ArchiveBaseImport.run(archive, root, tag, env), true);
  }

  /** {@code e}, telling that the cache has {@code full} and an offline build would use it. */
  private static RegistryUnreachableException cachedHint(
      RegistryUnreachableException e, Reference full, Descriptor cached) {
    return new RegistryUnreachableException(
        e.getMessage()
            + " (the cache has "
            + full
            + " as "
            + cached.digest()
            + ": an offline build, mvn -o, uses it)",
        false,
        e);
  }

  /**
   * Removes the temporary directories that pulls killed before they could clean up (SIGKILL, a
   * crash, a lost machine) left in the cache, with their partial blobs: nobody runs {@code gc} on
   * it. A directory another process holds is spared, and so is one changed in the last {@link
   * #LEFTOVER_AGE} (one just made and not yet locked looks the same). Failures are only logged: the
   * pull does not depend on them.
   */
  private static void removeLeftovers(OciLayout layout) {
    try {
      for (Path removed : layout.cleanStaleTempDirs(LEFTOVER_AGE)) {
        LOG.info("removed {}, left in the base-image cache by an interrupted pull", removed);
      }
    } catch (IOException e) {
      LOG.debug(
          "base-image cache {}: could not look for leftovers: {}", layout.root(), e.getMessage());
    }
  }

  /**
   * {@code listener} (may be null), and for each blob the pull fetched (verified while it streamed
   * and published by rename) a {@link VerifiedBlobRecords record}, so builds link it unread.
   */
  private TransferListener recording(OciLayout layout, TransferListener listener) {
    TransferListener delegate = listener == null ? TransferListener.NONE : listener;
    VerifiedBlobRecords records = VerifiedBlobRecords.of(root);
    return new TransferListener() {
      @Override
      public void planned(int blobs, long bytes) {
        delegate.planned(blobs, bytes);
      }

      @Override
      public void bytes(Digest digest, long n) {
        delegate.bytes(digest, n);
      }

      @Override
      public void blobDone(Digest digest, long size, boolean skipped) {
        if (!skipped) {
          try {
            records.record(layout.blobPath(digest), digest);
          } catch (IOException e) {
            LOG.debug("no verification record for {}: {}", digest, e.toString());
          }
        }
        delegate.blobDone(digest, size, skipped);
      }
    };
  }

  private Descriptor cached(String tag) throws IOException {
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (OciLayout layout = OciLayout.open(root)) {
      return References.resolve(layout, tag);
    } catch (ReferenceNotFoundException e) {
      return null;
    }
  }

  private OciLayout openOrCreate() throws IOException {
    if (!Files.exists(root)) {
      try {
        return OciLayout.create(root);
      } catch (IOException e) {
        if (!Files.isDirectory(root)) {
          throw e;
        }
        // another process created it meanwhile: its rename won
      }
    }
    return OciLayout.open(root);
  }

  /** {@code <reference>+<os>-<arch>[-<variant>]}, or {@code +all} for the whole index. */
  static String tagFor(Reference ref, PlatformChoice platform) {
    String p =
        platform.all()
            ? "all"
            : platform.os()
                + "-"
                + platform.architecture()
                + (platform.variant() == null ? "" : "-" + platform.variant());
    return ref + "+" + p;
  }
}
