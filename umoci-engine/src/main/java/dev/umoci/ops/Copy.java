package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Json;
import dev.umoci.registry.MirroredSource;
import dev.umoci.registry.PlatformChoice;
import dev.umoci.registry.Puller;
import dev.umoci.registry.Pusher;
import dev.umoci.registry.Reference;
import dev.umoci.registry.RegistryClient;
import dev.umoci.registry.RegistryOptions;
import dev.umoci.registry.TransferListener;
import dev.umoci.sys.ExitRemovals;
import dev.umoci.sys.TreeRemover;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code umoci copy} (beyond umoci, with skopeo's syntax): copies an image between a registry and a
 * local layout in either direction, between two registries, or between two layouts. From an index,
 * one platform is taken (the host's unless told) or, with {@link PlatformChoice#whole()},
 * everything. A destination layout is created when missing. Pulled content is verified before it is
 * published and a failed copy leaves the destination as it was (see {@link Puller}); the tag is set
 * last. Blobs are mounted instead of uploaded when their source is a repository of the destination
 * registry: the source of a registry-to-registry copy, or the base an image from a layout records
 * ({@link PushImage#baseRepository}).
 *
 * <p>Into a layout, a Docker schema 2 manifest or list, from a registry or from another layout, is
 * stored converted to OCI, as skopeo does (see {@link dev.umoci.oci.spec.OciConversion}): config
 * and layer blobs are stored as they are, only the manifests and the index change, and with them
 * their digests. With {@link Options#preserveDigests()} such an image is refused instead, before
 * anything is written. To a registry, manifests go as they are (from a layout too).
 */
public final class Copy {
  private static final Logger LOG = LoggerFactory.getLogger(Copy.class);

  private Copy() {}

  /**
   * @param platform what to take from an index; null for the host's platform
   * @param sourceRegistry how to talk to the source registry (ignored for a layout)
   * @param destinationRegistry how to talk to the destination registry (ignored for a layout)
   * @param preserveDigests fail rather than store a manifest with a new digest (a Docker schema 2
   *     image copied into a layout, from a registry or a layout, which converts it)
   * @param digestFile where to write, after a successful copy, the digest of the manifest or index
   *     now at the destination ({@code --digestfile}, see {@link DigestFile}); null for nowhere.
   *     Nothing is written when the copy fails
   */
  public record Options(
      CopyLocation source,
      CopyLocation destination,
      PlatformChoice platform,
      RegistryOptions sourceRegistry,
      RegistryOptions destinationRegistry,
      TransferListener listener,
      boolean preserveDigests,
      Path digestFile) {

    public Options {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(destination, "destination");
      sourceRegistry = sourceRegistry == null ? RegistryOptions.builder().build() : sourceRegistry;
      destinationRegistry =
          destinationRegistry == null ? RegistryOptions.builder().build() : destinationRegistry;
      listener = listener == null ? TransferListener.NONE : listener;
    }

    /** A builder for source and destination as {@code oci:...} / {@code docker://...} text. */
    public static Builder builder(String source, String destination)
        throws InvalidArgumentException {
      return new Builder(
          CopyLocation.parse(source, "source"), CopyLocation.parse(destination, "destination"));
    }

    /** A builder for parsed locations. */
    public static Builder builder(CopyLocation source, CopyLocation destination) {
      return new Builder(source, destination);
    }
  }

  /** Builder of {@link Options}. */
  public static final class Builder {
    private final CopyLocation source;
    private final CopyLocation destination;
    private PlatformChoice platform;
    private RegistryOptions sourceRegistry;
    private RegistryOptions destinationRegistry;
    private TransferListener listener;
    private boolean preserveDigests;
    private Path digestFile;

    private Builder(CopyLocation source, CopyLocation destination) {
      this.source = source;
      this.destination = destination;
    }

    public Builder platform(PlatformChoice v) {
      platform = v;
      return this;
    }

    /** The same registry options for both sides. */
    public Builder registry(RegistryOptions v) {
      sourceRegistry = v;
      destinationRegistry = v;
      return this;
    }

    public Builder sourceRegistry(RegistryOptions v) {
      sourceRegistry = v;
      return this;
    }

    public Builder destinationRegistry(RegistryOptions v) {
      destinationRegistry = v;
      return this;
    }

    public Builder listener(TransferListener v) {
      listener = v;
      return this;
    }

    /** See {@link Options#preserveDigests()}. */
    public Builder preserveDigests(boolean v) {
      preserveDigests = v;
      return this;
    }

    /** See {@link Options#digestFile()}. */
    public Builder digestFile(Path v) {
      digestFile = v;
      return this;
    }

    public Options build() {
      return new Options(
          source,
          destination,
          platform,
          sourceRegistry,
          destinationRegistry,
          listener,
          preserveDigests,
          digestFile);
    }
  }

  /**
   * What a copy did.
   *
   * @param descriptor the manifest or index now at the destination
   * @param blobsCopied blobs moved (fetched, uploaded or copied)
   * @param blobsSkipped blobs the destination had already (or got by a mount)
   * @param bytesCopied blob bytes moved
   */
  public record Result(
      Descriptor descriptor, int blobsCopied, int blobsSkipped, long bytesCopied) {}

  /** The host's platform as a choice. */
  public static PlatformChoice hostPlatform() {
    HostPlatform host = HostPlatform.current();
    return PlatformChoice.of(host.os(), host.architecture(), host.variant());
  }

  /**
   * A copy whose registry connection is already being made ({@link #start}). Run it with {@link
   * #run(Started)}: a started connection is closed only by the copy that uses it.
   */
  public static final class Started {
    private final Options options;
    private final PendingConnection<RegistryClient> connection;
    private final PendingConnection<MirroredSource> mirrored;

    private Started(
        Options options,
        PendingConnection<RegistryClient> connection,
        PendingConnection<MirroredSource> mirrored) {
      this.options = options;
      this.connection = connection;
      this.mirrored = mirrored;
    }

    /** Abandons whatever was started. */
    void abandon() {
      if (connection != null) {
        connection.abandon();
      }
      if (mirrored != null) {
        mirrored.abandon();
      }
    }

    /** The options the copy was started with. */
    public Options options() {
      return options;
    }
  }

  /**
   * Starts connecting to the registry that {@code o} reads from or, for a push (layout to
   * registry), writes to (the HTTP client, the {@code /v2/} check), on another thread; a copy
   * between two layouts starts nothing ahead. A pull that has mirrors to try ({@link
   * RegistryOptions#mirrors()}) starts looking for the first source that serves the image instead
   * ({@link MirroredSource}). Neither reads nor writes a layout and uses neither the C library's
   * nor libcrypto's binding, so a caller can start it while it still sets those up.
   */
  public static Started start(Options o) {
    PendingConnection<RegistryClient> connection = null;
    if (o.source() instanceof CopyLocation.Registry src) {
      if (o.sourceRegistry().mirrors() != null
          && MirroredSource.applies(src.reference(), o.sourceRegistry())) {
        return new Started(
            o, null, PendingConnection.startMirrored(src.reference(), o.sourceRegistry()));
      }
      connection = PendingConnection.start(src.reference().registry(), o.sourceRegistry());
    } else if ((o.source() instanceof CopyLocation.Layout
            || o.source() instanceof CopyLocation.OciArchiveFile
            || o.source() instanceof CopyLocation.DockerArchiveFile)
        && o.destination() instanceof CopyLocation.Registry dst) {
      connection = PendingConnection.start(dst.reference().registry(), o.destinationRegistry());
    }
    return new Started(o, connection, null);
  }

  public static Result run(Options o) throws IOException {
    return run(start(o));
  }

  /** Runs a copy {@link #start}ed before. */
  public static Result run(Started started) throws IOException {
    Options o = started.options;
    if (o.digestFile() != null) {
      try {
        DigestFile.check(o.digestFile());
      } catch (IOException e) {
        started.abandon();
        throw e;
      }
    }
    Result r = copy(o, started);
    if (o.digestFile() != null) {
      DigestFile.write(o.digestFile(), r.descriptor().digest());
    }
    LOG.info(
        "copied {} to {}: {}; {} blobs ({} bytes) transferred, {} already there or mounted",
        o.source(),
        o.destination(),
        r.descriptor().digest(),
        r.blobsCopied(),
        r.bytesCopied(),
        r.blobsSkipped());
    return r;
  }

  /**
   * Runs {@code o}, with what {@link #start} started for it (a connection started for {@code o}'s
   * registry side serves a copy whose other side {@link ArchiveCopy} replaced by a layout).
   */
  static Result copy(Options o, Started started) throws IOException {
    if (ArchiveCopy.involves(o)) {
      return ArchiveCopy.run(o, started);
    }
    PendingConnection<RegistryClient> connecting = started.connection;
    PlatformChoice choice = o.platform() == null ? hostPlatform() : o.platform();
    if (o.source() instanceof CopyLocation.Registry src
        && o.destination() instanceof CopyLocation.Layout dst) {
      Puller.Manifests format =
          o.preserveDigests() ? Puller.Manifests.OCI_PRESERVING_DIGESTS : Puller.Manifests.OCI;
      return pull(src.reference(), dst.image(), choice, format, started, o.listener());
    }
    if (o.source() instanceof CopyLocation.Layout src
        && o.destination() instanceof CopyLocation.Registry dst) {
      // As for a pull: the connection is made while the layout is opened and read.
      OciLayout layout;
      try {
        layout = OciLayout.open(src.image().layout());
      } catch (IOException | RuntimeException e) {
        connecting.abandon();
        throw e;
      }
      try (layout) {
        Descriptor top;
        String mountFrom;
        try {
          top = select(layout, src.resolve(layout), choice);
          mountFrom = PushImage.baseRepository(layout, top, dst.reference());
        } catch (IOException | RuntimeException e) {
          connecting.abandon();
          throw e;
        }
        try (RegistryClient client = connecting.join();
            PushCompression pushed =
                PushCompression.prepare(
                    layout, top, o.preserveDigests(), o.destinationRegistry().environment())) {
          return result(
              pushed.top(),
              Pusher.push(
                  pushed.layout(),
                  pushed.top(),
                  client,
                  dst.reference(),
                  mountFrom,
                  o.listener(),
                  null));
        }
      }
    }
    if (o.source() instanceof CopyLocation.Registry src
        && o.destination() instanceof CopyLocation.Registry dst) {
      return viaTemporaryLayout(src.reference(), dst.reference(), choice, o, started);
    }
    CopyLocation.Layout src = (CopyLocation.Layout) o.source();
    CopyLocation.Layout dst = (CopyLocation.Layout) o.destination();
    return LayoutCopy.run(src, dst.image(), choice, o.preserveDigests());
  }

  /**
   * Pulls {@code ref} into the layout of {@code dest} (created when missing), its manifests stored
   * as {@code format} says, and tags it, over a connection already being made ({@code started}'s):
   * connecting (the HTTP client, the {@code /v2/} check) and opening the layout (the engine's first
   * JSON) are independent start-up work.
   */
  private static Result pull(
      Reference ref,
      ImageRef dest,
      PlatformChoice choice,
      Puller.Manifests format,
      Started started,
      TransferListener listener)
      throws IOException {
    LayoutDestination destination;
    try {
      destination = LayoutDestination.open(dest.layout());
    } catch (IOException | RuntimeException e) {
      started.abandon();
      throw e;
    }
    try {
      if (started.mirrored != null) {
        try (destination;
            MirroredSource source = started.mirrored.join()) {
          return tagged(
              destination,
              dest,
              Puller.pull(
                  source, choice, destination.layout(), format, listener, destination::published));
        }
      }
      try (destination;
          RegistryClient client = started.connection.join()) {
        OciLayout layout = destination.layout();
        Puller.Result r =
            Puller.pull(client, ref, choice, layout, format, listener, destination::published);
        return tagged(destination, dest, r);
      }
    } catch (IOException | RuntimeException e) {
      destination.undo();
      throw e;
    }
  }

  /** Tags what {@code r} pulled into {@code destination} as {@code dest}'s tag. */
  private static Result tagged(LayoutDestination destination, ImageRef dest, Puller.Result r)
      throws IOException {
    References.update(destination.layout(), dest.tag(), r.descriptor());
    return new Result(r.descriptor(), r.blobsFetched(), r.blobsPresent(), r.bytesFetched());
  }

  /**
   * Pushes {@code top} of {@code layout} to {@code dest}, its uncompressed layers compressed unless
   * {@code preserveDigests} ({@link PushCompression}).
   */
  private static Result push(
      OciLayout layout,
      Descriptor top,
      Reference dest,
      boolean preserveDigests,
      RegistryOptions registry,
      TransferListener listener)
      throws IOException {
    try (RegistryClient client = RegistryClient.connect(dest.registry(), registry);
        PushCompression pushed =
            PushCompression.prepare(layout, top, preserveDigests, registry.environment())) {
      return result(
          pushed.top(),
          Pusher.push(pushed.layout(), pushed.top(), client, dest, null, listener, null));
    }
  }

  private static Result result(Descriptor top, Pusher.Result r) {
    return new Result(
        Descriptor.of(top.mediaType(), r.digest(), top.size()),
        r.blobsUploaded(),
        r.blobsSkipped() + r.blobsMounted(),
        r.bytesUploaded());
  }

  /** The entry of an index for {@code choice}, unless the whole index is wanted. */
  static Descriptor select(OciLayout layout, Descriptor top, PlatformChoice choice)
      throws IOException {
    Descriptor d = top;
    for (int depth = 0; !choice.all() && RegistryClient.isIndex(d.mediaType()); depth++) {
      if (depth > 4) {
        throw new InvalidArgumentException("image indexes nested too deeply at " + d.digest());
      }
      Index index = Json.parse(layout.readBlob(d), Index.class, "index " + d.digest());
      d =
          choice.choose(
              index.manifests(), "layout " + layout.root() + ": index " + d.digest() + ": ");
    }
    return Descriptor.of(d.mediaType(), d.digest(), d.size());
  }

  /**
   * Registry to registry, through a temporary layout. Within one registry the blobs are mounted
   * from the source repository: only the manifests are pulled first, and a blob is fetched only
   * when the registry refuses to mount it (then uploaded as usual); not when the source may come
   * from a mirror. {@code started} holds the connection to the source registry (or the search of
   * its mirrors), {@link #start}ed with the source's options.
   */
  private static Result viaTemporaryLayout(
      Reference src, Reference dst, PlatformChoice choice, Options o, Started started)
      throws IOException {
    PendingConnection<RegistryClient> connecting = started.connection;
    Path temp;
    try {
      temp =
          Files.createTempDirectory(
              SpoolDirectory.parent(o.sourceRegistry().environment()), "umoci-copy-");
    } catch (IOException | RuntimeException e) {
      started.abandon();
      throw e;
    }
    try (ExitRemovals.Registration removal = ExitRemovals.register(temp)) {
      Path dir = temp.resolve("layout");
      if (!src.registry().equals(dst.registry()) || started.mirrored != null) {
        pull(
            src,
            new ImageRef(dir, "copy"),
            choice,
            Puller.Manifests.AS_SERVED,
            started,
            TransferListener.NONE);
        try (OciLayout layout = OciLayout.open(dir)) {
          Descriptor top = References.resolve(layout, "copy");
          return push(
              layout,
              Descriptor.of(top.mediaType(), top.digest(), top.size()),
              dst,
              o.preserveDigests(),
              o.destinationRegistry(),
              o.listener());
        }
      }
      // The same options for both sides (the usual case): one client, one connection check.
      boolean oneClient = o.sourceRegistry().equals(o.destinationRegistry());
      OciLayout created;
      try {
        created = OciLayout.create(dir);
      } catch (IOException | RuntimeException e) {
        connecting.abandon();
        throw e;
      }
      try (OciLayout layout = created;
          RegistryClient source = connecting.join();
          RegistryClient other =
              oneClient ? null : RegistryClient.connect(dst.registry(), o.destinationRegistry())) {
        RegistryClient dest = oneClient ? source : other;
        Descriptor top = Puller.pullManifests(source, src, choice, layout).descriptor();
        Pusher.Result r =
            Pusher.push(
                layout,
                Descriptor.of(top.mediaType(), top.digest(), top.size()),
                dest,
                dst,
                src.repository(),
                o.listener(),
                blob -> Puller.fetchBlob(source, src.repository(), layout, blob));
        return result(top, r);
      }
    } finally {
      deleteTree(temp);
    }
  }

  private static void deleteTree(Path path) throws IOException {
    TreeRemover.direct().remove(path);
  }
}
