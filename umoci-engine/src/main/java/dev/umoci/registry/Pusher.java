package dev.umoci.registry;

import dev.umoci.errors.BlobNotFoundException;
import dev.umoci.errors.DigestMismatchException;
import dev.umoci.errors.SizeMismatchException;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes an image (a manifest or an index, with everything below it) from a layout to a registry:
 * first the blobs, several at a time: skipped when the repository has them ({@code HEAD}), mounted
 * from {@code mountFrom} when given (a repository of the same registry that has them), else
 * uploaded, in one {@code PUT} up to the chunk threshold and in {@code PATCH} chunks above it; then
 * the manifests, children before the index; the top one last, under the tag. A repository that has
 * the top manifest already (one {@code HEAD}) gets only the tag. An upload that fails for a
 * retryable reason is started over, a bounded number of times.
 *
 * <p>A mount is asked for with {@code POST /v2/<repo>/blobs/uploads/?mount=<digest>&from=<source>}:
 * 201 means mounted; 202 (the source lacks the blob, or the registry does not mount) comes with an
 * upload location, which is then used for a normal upload. A registry or token service that refuses
 * pull access to the source (401/403), or any other 4xx answer to the mount, makes the push stop
 * asking for mounts and upload instead.
 */
public final class Pusher {
  private static final Logger LOG = LoggerFactory.getLogger(Pusher.class);

  /**
   * Makes a blob the layout lacks available before it is uploaded: for a layout that holds only the
   * manifests of an image whose blobs are mounted, and fetched only when a mount is refused.
   */
  @FunctionalInterface
  public interface MissingBlobs {
    /** Fetches {@code blob} into the layout. */
    void fetch(Descriptor blob) throws IOException;
  }

  /** What a push did. {@code bytesUploaded} counts blob bytes sent (manifests not included). */
  public record Result(
      Digest digest, int blobsUploaded, int blobsSkipped, int blobsMounted, long bytesUploaded) {}

  private final RegistryClient client;
  private final OciLayout layout;
  private final TransferListener listener;
  private final String repo;
  private final String where;
  private final AtomicInteger uploaded = new AtomicInteger();
  private final AtomicInteger skipped = new AtomicInteger();
  private final AtomicInteger mounted = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicBoolean mountRefused = new AtomicBoolean();
  private final MissingBlobs missing;

  private Pusher(
      RegistryClient client,
      OciLayout layout,
      String repo,
      TransferListener listener,
      MissingBlobs missing) {
    this.client = client;
    this.layout = layout;
    this.missing = missing;
    this.repo = repo;
    this.where = RegistryException.where(client.registry(), repo);
    this.listener = listener == null ? TransferListener.NONE : listener;
  }

  /**
   * Pushes {@code top} (from {@code layout}) to {@code dest}, tagged with {@code dest}'s tag (or
   * stored by digest when {@code dest} has only a digest, which must then match).
   *
   * @param mountFrom a repository on the same registry to mount blobs from, or null
   * @param missing fetches a blob the layout lacks before it is uploaded; null when the layout has
   *     every blob
   */
  public static Result push(
      OciLayout layout,
      Descriptor top,
      RegistryClient client,
      Reference dest,
      String mountFrom,
      TransferListener listener,
      MissingBlobs missing)
      throws IOException {
    return new Pusher(client, layout, dest.repository(), listener, missing)
        .run(top, dest, mountFrom);
  }

  private Result run(Descriptor top, Reference dest, String mountFrom) throws IOException {
    // Before anything is sent: a destination that names another digest can never be met.
    if (dest.digest() != null && !dest.digest().equals(top.digest())) {
      throw new dev.umoci.errors.InvalidArgumentException(
          where + "cannot push " + top.digest() + " as " + dest.digest() + ": the digests differ");
    }
    List<Descriptor> manifests = new ArrayList<>();
    Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    collect(top, manifests, blobs, 0);
    long total = 0;
    for (Descriptor d : blobs.values()) {
      total += d.size();
    }
    listener.planned(blobs.size(), total);
    String from = mountFrom != null && !mountFrom.equals(repo) ? mountFrom : null;
    if (client.hasManifest(repo, top.digest())) {
      // Pushed before: every blob and child manifest is there; only the tag may be new.
      for (Descriptor d : blobs.values()) {
        skipped.incrementAndGet();
        listener.blobDone(d.digest(), d.size(), true);
      }
    } else {
      List<Transfers.Task> tasks = new ArrayList<>();
      for (Descriptor d : blobs.values()) {
        tasks.add(() -> pushBlob(d, from));
      }
      // One more than the layers' parallelism: the config, a few KB first in the list, would
      // otherwise hold a slot while its three requests go back and forth.
      Transfers.runAll(tasks, client.options().parallelism() + 1);
      for (Descriptor m : manifests) {
        if (m == top) {
          continue;
        }
        client.putManifest(repo, m.digest().toString(), m.mediaType(), layout.readBlob(m));
      }
    }
    byte[] topBytes = layout.readBlob(top);
    String reference = dest.tag() != null ? dest.tag() : dest.manifestReference();
    Digest digest = client.putManifest(repo, reference, top.mediaType(), topBytes);
    return new Result(digest, uploaded.get(), skipped.get(), mounted.get(), bytes.get());
  }

  private void collect(
      Descriptor d, List<Descriptor> manifests, Map<Digest, Descriptor> blobs, int depth)
      throws IOException {
    if (depth > 4) {
      throw new RegistryException(where + "image indexes nested too deeply", 0);
    }
    if (RegistryClient.isIndex(d.mediaType())) {
      Index index = Json.parse(layout.readBlob(d), Index.class, "index " + d.digest());
      for (Descriptor child : index.manifests()) {
        collect(child, manifests, blobs, depth + 1);
      }
    } else if (RegistryClient.isManifest(d.mediaType())) {
      Manifest manifest = Json.parse(layout.readBlob(d), Manifest.class, "manifest " + d.digest());
      if (manifest.config() != null) {
        blobs.putIfAbsent(manifest.config().digest(), manifest.config());
      }
      for (Descriptor layer : manifest.layers()) {
        blobs.putIfAbsent(layer.digest(), layer);
      }
    } else {
      throw new UnsupportedMediaTypeException(
          where + "cannot push " + d.digest() + " of media type " + d.mediaType());
    }
    if (!manifests.contains(d)) {
      manifests.add(d);
    }
  }

  private void pushBlob(Descriptor d, String mountFrom) throws IOException {
    int attempts = client.options().attempts();
    for (int attempt = 1; ; attempt++) {
      try {
        pushBlobOnce(d, mountFrom);
        return;
      } catch (RegistryException e) {
        if (!e.retryable() || attempt >= attempts) {
          throw e;
        }
        LOG.debug("{}, starting the upload over", e.getMessage());
      }
      try {
        Thread.sleep(client.options().backoff().toMillis() << Math.min(attempt - 1, 10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted");
      }
    }
  }

  private void pushBlobOnce(Descriptor d, String mountFrom) throws IOException {
    if (client.hasBlob(repo, d.digest(), true)) {
      skipped.incrementAndGet();
      listener.blobDone(d.digest(), d.size(), true);
      return;
    }
    URI location = null;
    if (mountFrom != null && !mountRefused.get()) {
      try {
        location = client.startUpload(repo, d.digest(), mountFrom);
        if (location == null) {
          mounted.incrementAndGet();
          listener.blobMounted(d.digest(), d.size(), mountFrom);
          return;
        }
      } catch (RegistryException e) {
        // 401/403: no pull access to the source; another 4xx: a registry that does not take the
        // mount parameters. Either way the upload below needs no mount.
        if (e.status() < 400 || e.status() >= 500 || e.status() == 429) {
          throw e;
        }
        mountRefused.set(true);
        LOG.debug("{}; uploading instead of mounting from {}", e.getMessage(), mountFrom);
      }
    }
    if (location == null) {
      location = client.startUpload(repo, d.digest(), null);
    }
    if (missing != null && d.data() == null && !layout.hasBlob(d.digest())) {
      missing.fetch(d);
    }
    if (d.data() != null) {
      byte[] data = d.data();
      client.finishUpload(
          repo, location, d.digest(), () -> HttpRequest.BodyPublishers.ofByteArray(data));
    } else {
      Path file = localBlob(d);
      try {
        upload(d, file, location);
      } catch (RegistryException e) {
        if (e.status() == 400) {
          // DIGEST_INVALID or SIZE_INVALID: the bytes sent were not the blob's.
          checkLocal(d, file);
        }
        throw e;
      }
    }
    uploaded.incrementAndGet();
    bytes.addAndGet(d.size());
    listener.blobDone(d.digest(), d.size(), false);
  }

  /**
   * Sends the blob in {@code file}: in one {@code PUT} up to the chunk threshold, else in {@code
   * PATCH} chunks and a final {@code PUT}. The bytes are not hashed here: the registry computes the
   * digest of every upload and refuses one that does not match the digest it is finished with.
   */
  private void upload(Descriptor d, Path file, URI location) throws IOException {
    LongConsumer progress = n -> listener.bytes(d.digest(), n);
    if (d.size() <= client.options().chunkThreshold()) {
      client.finishUpload(
          repo, location, d.digest(), () -> new FileRangePublisher(file, 0, d.size(), progress));
      return;
    }
    long chunk = client.options().chunkSize();
    for (long offset = 0; offset < d.size(); offset += chunk) {
      long start = offset;
      long length = Math.min(chunk, d.size() - offset);
      location =
          client.patch(
              repo,
              location,
              start,
              length,
              () -> new FileRangePublisher(file, start, length, progress));
    }
    client.finishUpload(repo, location, d.digest(), HttpRequest.BodyPublishers::noBody);
  }

  /** The blob's file, which must exist and have the descriptor's size. */
  private Path localBlob(Descriptor d) throws IOException {
    Path file = layout.blobPath(d.digest());
    long size;
    try {
      size =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(
          "layout " + layout.root() + ": blob " + d.digest() + " not found");
    }
    if (size != d.size()) {
      throw new SizeMismatchException(
          "layout "
              + layout.root()
              + ": blob "
              + d.digest()
              + " is corrupt: "
              + size
              + " bytes, its descriptor says "
              + d.size());
    }
    return file;
  }

  /**
   * After the registry refused an upload (400): hashes the local blob, and when its content does
   * not match its digest says so in one line naming the blob and the layout.
   */
  private void checkLocal(Descriptor d, Path file) throws IOException {
    MessageDigest sha256 = Digest.newSha256();
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha256.update(buf, 0, n);
      }
    }
    Digest actual = Digest.ofSha256(sha256.digest());
    if (!actual.equals(d.digest())) {
      throw new DigestMismatchException(
          "layout "
              + layout.root()
              + ": blob "
              + d.digest()
              + " is corrupt: its content has digest "
              + actual
              + " (the registry refused the upload)");
    }
  }
}
