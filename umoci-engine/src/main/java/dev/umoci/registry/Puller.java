package dev.umoci.registry;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.oci.layout.BlobWriter;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.ManifestBytes;
import dev.umoci.oci.spec.OciManifests;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls an image from a registry into a layout: resolves the reference to a manifest or index,
 * chooses a platform from an index (or keeps it whole), then fetches the blobs the layout lacks,
 * several at a time, each streamed into a temporary file, verified by size and digest and only then
 * published. Manifests are stored while the blobs transfer: as served, or converted to OCI ({@link
 * Manifests}). Nothing unverified is ever published; what a failed pull did publish stays, verified
 * and unreferenced, since another writer of the layout may already count on it: each published blob
 * is reported to the caller, who may remove them when it uses the layout alone ({@code
 * ops.LayoutDestination}). Tagging is the caller's job.
 */
public final class Puller {
  private static final Logger LOG = LoggerFactory.getLogger(Puller.class);

  /** What a pull stores of the manifests (and indexes) it fetched. */
  public enum Manifests {
    /** As served, Docker schema 2 included. */
    AS_SERVED,
    /** Docker schema 2 converted to OCI ({@link OciManifests}), OCI as served. */
    OCI,
    /**
     * OCI as served; Docker schema 2, which {@link #OCI} would convert, is refused before anything
     * is stored ({@code copy --preserve-digests} into a layout).
     */
    OCI_PRESERVING_DIGESTS
  }

  /** What a pull did. {@code descriptor} is the manifest or index to tag. */
  public record Result(
      Descriptor descriptor, int blobsFetched, int blobsPresent, long bytesFetched) {}

  private final RegistryClient client;
  private final OciLayout layout;
  private final TransferListener listener;

  /** For the pulls whose caller needs no report of what they published. */
  public static final Consumer<Digest> NOBODY = digest -> {};

  private final Consumer<Digest> published;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicInteger fetched = new AtomicInteger();

  private final boolean withBlobs;
  private final Manifests format;

  private Puller(
      RegistryClient client,
      OciLayout layout,
      TransferListener listener,
      Consumer<Digest> published,
      boolean withBlobs,
      Manifests format) {
    this.format = format;
    this.published = published;
    this.withBlobs = withBlobs;
    this.client = client;
    this.layout = layout;
    this.listener = listener == null ? TransferListener.NONE : listener;
  }

  /**
   * Pulls {@code ref} (tag or digest) with {@code choice} into {@code layout}, storing the
   * manifests as {@code format} says, telling {@code published} (on any thread) each manifest and
   * blob it publishes there just before it commits it (so that one who undoes the pull at any
   * moment, having stopped further commits, knows every blob that may have been published; a digest
   * told whose commit then fails is simply not in the layout). The result's descriptor is the
   * stored (so, for {@link Manifests#OCI}, maybe converted) manifest or index.
   */
  public static Result pull(
      RegistryClient client,
      Reference ref,
      PlatformChoice choice,
      OciLayout layout,
      Manifests format,
      TransferListener listener,
      Consumer<Digest> published)
      throws IOException {
    return new Puller(client, layout, listener, published, true, format).run(ref, choice, null);
  }

  /**
   * As {@link #pull(RegistryClient, Reference, PlatformChoice, OciLayout, Manifests,
   * TransferListener, Consumer)}, from the source a pull through mirrors found: its manifest, and
   * the child manifests and blobs from the same source.
   */
  public static Result pull(
      MirroredSource source,
      PlatformChoice choice,
      OciLayout layout,
      Manifests format,
      TransferListener listener,
      Consumer<Digest> published)
      throws IOException {
    return new Puller(source.client(), layout, listener, published, true, format)
        .run(source.reference(), choice, source.manifest());
  }

  /**
   * Stores only the manifests (and index) of {@code ref} with {@code choice} in {@code layout},
   * verified, without their config and layer blobs, for a copy that mounts those within one
   * registry and fetches only what the mount refuses ({@link #fetchBlob}). The layout is then
   * incomplete: only for a temporary layout that nothing else reads. {@code blobsFetched} and
   * {@code bytesFetched} of the result are 0.
   */
  public static Result pullManifests(
      RegistryClient client, Reference ref, PlatformChoice choice, OciLayout layout)
      throws IOException {
    return new Puller(client, layout, TransferListener.NONE, NOBODY, false, Manifests.AS_SERVED)
        .run(ref, choice, null);
  }

  /**
   * Fetches one blob of {@code repository} into {@code layout}, verified by size and digest while
   * it streams and published only then (retried like a pull's blobs).
   */
  public static void fetchBlob(
      RegistryClient client, String repository, OciLayout layout, Descriptor d) throws IOException {
    if (!layout.hasBlob(d.digest())) {
      new Puller(client, layout, TransferListener.NONE, NOBODY, true, Manifests.AS_SERVED)
          .fetchBlob(repository, d);
    }
  }

  /** Pulls {@code ref}, whose manifest is {@code given} when it was fetched already. */
  private Result run(Reference ref, PlatformChoice choice, FetchedManifest given)
      throws IOException {
    String repo = ref.repository();
    String where = RegistryException.where(client.registry(), repo);
    FetchedManifest top = given != null ? given : client.getManifest(repo, ref.manifestReference());
    // Children before parents: what is stored last is what the tag will point at.
    List<ManifestBytes> manifests = new ArrayList<>();
    Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    FetchedManifest chosen = top;
    if (!choice.all()) {
      for (int depth = 0; RegistryClient.isIndex(chosen.mediaType()); depth++) {
        if (depth > 4) {
          throw new RegistryException(where + "image indexes nested too deeply", 0);
        }
        Index index = Json.parse(chosen.bytes(), Index.class, where + "index " + chosen.digest());
        Descriptor entry =
            choice.choose(index.manifests(), where + "index " + chosen.digest() + ": ");
        LOG.debug("{}chose {} for {}", where, entry.digest(), choice);
        chosen = fetchChild(repo, entry);
      }
      collect(chosen, repo, manifests, blobs, 0);
    } else {
      collect(top, repo, manifests, blobs, 0);
    }
    Descriptor result = chosen.descriptor();
    if (format != Manifests.AS_SERVED) {
      // Before any blob moves: a refused or impossible conversion stores nothing.
      OciManifests oci =
          OciManifests.of(manifests, format == Manifests.OCI_PRESERVING_DIGESTS, where);
      manifests = oci.manifests();
      result = oci.map(result);
      oci.replaced()
          .forEach((from, to) -> LOG.debug("{}{} stored as OCI {}", where, from, to.digest()));
    }
    List<ManifestBytes> toStore = manifests;
    List<Descriptor> missing = new ArrayList<>();
    long missingBytes = 0;
    int present = 0;
    for (Descriptor d : withBlobs ? blobs.values() : List.<Descriptor>of()) {
      if (layout.hasBlob(d.digest())) {
        present++;
        listener.blobDone(d.digest(), d.size(), true);
      } else {
        missing.add(d);
        missingBytes += d.size();
      }
    }
    listener.planned(missing.size(), missingBytes);
    List<Transfers.Task> tasks = new ArrayList<>();
    // The manifests are stored while the blobs transfer, not after them: nothing references them
    // until the caller tags the image, and they are reported as published like the blobs.
    tasks.add(() -> storeManifests(toStore));
    for (Descriptor d : missing) {
      int parts =
          BlobFetch.parts(
              d.size(), missingBytes, client.options().parallelism(), client.options().rangePart());
      tasks.add(() -> fetchBlob(repo, d, parts));
    }
    Transfers.runAll(tasks, client.options().parallelism() + 1);
    return new Result(result, fetched.get(), present, bytes.get());
  }

  /** Stores the manifests (children before parents) that the layout lacks. */
  private void storeManifests(List<ManifestBytes> manifests) throws IOException {
    for (ManifestBytes m : manifests) {
      if (!layout.hasBlob(m.digest())) {
        try (BlobWriter w = layout.newBlob()) {
          w.write(m.bytes());
          published.accept(m.digest());
          w.commit(m.digest(), m.bytes().length);
        }
      }
    }
  }

  private FetchedManifest fetchChild(String repo, Descriptor entry) throws IOException {
    InputLimits.fromSystemProperties()
        .checkJsonSize(
            entry.size(),
            RegistryException.where(client.registry(), repo) + "manifest " + entry.digest());
    FetchedManifest child = client.getManifest(repo, entry.digest().toString());
    if (!child.mediaType().equals(entry.mediaType())) {
      // The media-type confusion of CVE-2021-41190: never let the served type override the index.
      throw new UnsupportedMediaTypeException(
          RegistryException.where(client.registry(), repo)
              + "manifest "
              + entry.digest()
              + ": the index says "
              + entry.mediaType()
              + ", the registry served "
              + child.mediaType());
    }
    if (child.bytes().length != entry.size()) {
      throw new DigestMismatchException(
          RegistryException.where(client.registry(), repo)
              + "manifest "
              + entry.digest()
              + ": index says "
              + entry.size()
              + " bytes, the registry sent "
              + child.bytes().length);
    }
    return child;
  }

  private void collect(
      FetchedManifest m,
      String repo,
      List<ManifestBytes> manifests,
      Map<Digest, Descriptor> blobs,
      int depth)
      throws IOException {
    String where = RegistryException.where(client.registry(), repo);
    if (depth > 4) {
      throw new RegistryException(where + "image indexes nested too deeply", 0);
    }
    if (RegistryClient.isIndex(m.mediaType())) {
      Index index = Json.parse(m.bytes(), Index.class, where + "index " + m.digest());
      for (Descriptor entry : index.manifests()) {
        if (!RegistryClient.MANIFEST_TYPES.contains(entry.mediaType())) {
          throw new UnsupportedMediaTypeException(
              where
                  + "index "
                  + m.digest()
                  + " lists "
                  + entry.digest()
                  + " of unsupported type "
                  + entry.mediaType());
        }
        collect(fetchChild(repo, entry), repo, manifests, blobs, depth + 1);
      }
    } else {
      Manifest manifest = Json.parse(m.bytes(), Manifest.class, where + "manifest " + m.digest());
      if (manifest.config() == null) {
        throw new RegistryException(where + "manifest " + m.digest() + " has no config", 0);
      }
      List<Descriptor> wanted = new ArrayList<>();
      wanted.add(manifest.config());
      wanted.addAll(manifest.layers());
      for (Descriptor d : wanted) {
        if (d.digest() == null || d.size() < 0) {
          throw new RegistryException(
              where + "manifest " + m.digest() + " has a malformed descriptor", 0);
        }
        if (!Digest.SHA256.equals(d.digest().algorithm())) {
          throw new UnsupportedMediaTypeException(
              where + "manifest " + m.digest() + ": unsupported digest algorithm in " + d.digest());
        }
        blobs.putIfAbsent(d.digest(), d);
      }
    }
    manifests.add(new ManifestBytes(m.mediaType(), m.digest(), m.bytes()));
  }

  private void fetchBlob(String repo, Descriptor d) throws IOException {
    fetchBlob(repo, d, 1);
  }

  /**
   * Fetches one blob in {@code parts} parallel range requests (1: one {@code GET}), see {@link
   * BlobFetch}; a retryable failure starts the whole blob over.
   */
  private void fetchBlob(String repo, Descriptor d, int parts) throws IOException {
    String where = RegistryException.where(client.registry(), repo);
    int attempts = client.options().attempts();
    for (int attempt = 1; ; attempt++) {
      ByteCount counted = new ByteCount(listener, d.digest());
      long received = 0;
      try (BlobWriter w = layout.newBlob()) {
        BlobFetch fetch = new BlobFetch(client, repo, d, counted);
        try {
          if (parts > 1) {
            fetch.inParts(w, parts);
          } else {
            fetch.whole(w);
          }
        } finally {
          received = counted.bytes.get();
        }
        published.accept(d.digest());
        try {
          w.commit(d.digest(), d.size());
        } catch (DigestMismatchException e) {
          throw new DigestMismatchException(
              where + (received < d.size() ? "truncated " : "corrupt ") + e.getMessage(), e);
        }
        fetched.incrementAndGet();
        bytes.addAndGet(d.size());
        listener.blobDone(d.digest(), d.size(), false);
        return;
      } catch (RegistryException e) {
        if (!e.retryable() || attempt >= attempts) {
          throw e;
        }
      } catch (DigestMismatchException e) {
        throw e;
      } catch (IOException e) {
        if (e instanceof dev.umoci.errors.UmociException
            || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        if (attempt >= attempts) {
          throw new RegistryUnreachableException(
              where
                  + "get blob "
                  + d.digest()
                  + (e instanceof StalledTransferException
                      ? ": " + e.getMessage() + ", after "
                      : ": connection dropped after ")
                  + received
                  + " of "
                  + d.size()
                  + " bytes ("
                  + attempts
                  + " attempts)",
              true,
              e);
        }
        LOG.debug("{}blob {}: {} after {} bytes, trying again", where, d.digest(), e, received);
      }
      sleep(attempt);
    }
  }

  private void sleep(int attempt) throws IOException {
    try {
      Thread.sleep(client.options().backoff().toMillis() << Math.min(attempt - 1, 10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  /**
   * Counts the bytes of one attempt at a blob and tells the listener; a class rather than a lambda
   * (see the package's note on the transfer threads).
   */
  private static final class ByteCount implements LongConsumer {
    final AtomicLong bytes = new AtomicLong();
    private final TransferListener listener;
    private final Digest digest;

    ByteCount(TransferListener listener, Digest digest) {
      this.listener = listener;
      this.digest = digest;
    }

    @Override
    public void accept(long n) {
      bytes.addAndGet(n);
      listener.bytes(digest, n);
    }
  }
}
