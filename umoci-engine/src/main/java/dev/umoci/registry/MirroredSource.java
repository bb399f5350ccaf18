package dev.umoci.registry;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a pull through mirrors ({@link RegistryOptions#mirrors()}) takes an image from: the first
 * of the reference's mirrors, then the registry itself, that serves its manifest. The whole pull
 * (manifest, child manifests, blobs) then comes from that one source, verified by digest as any
 * pull ({@link Puller#pull(MirroredSource, PlatformChoice, dev.umoci.oci.layout.OciLayout,
 * Puller.Manifests, TransferListener, java.util.function.Consumer)}): a mirror that serves other
 * bytes for a digest fails the pull, it is not skipped. A mirror that cannot be reached, refuses
 * access (401, 403), does not have the manifest (404) or keeps failing (429, 5xx after the retries)
 * is skipped with one DEBUG line. When the registry fails too, its own error is thrown, noting how
 * many mirrors were tried. Close it when done (it closes its client).
 */
public final class MirroredSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MirroredSource.class);

  private final RegistryClient client;
  private final Reference reference;
  private final FetchedManifest manifest;

  private MirroredSource(RegistryClient client, Reference reference, FetchedManifest manifest) {
    this.client = client;
    this.reference = reference;
    this.manifest = manifest;
  }

  /**
   * Whether {@code options} send a pull of {@code ref} elsewhere than its name says: to a mirror,
   * or to where its registry really is ({@link Mirrors.Entry#location()}).
   */
  public static boolean applies(Reference ref, RegistryOptions options) {
    return options.mirrors() != null && options.mirrors().redirects(ref);
  }

  /**
   * Connects to the first source of {@code ref} (its mirrors in order, then its registry, with
   * {@code options}, at its entry's location if it has one) that serves the manifest {@code ref}
   * names, and fetches that manifest.
   *
   * @throws dev.umoci.errors.InvalidArgumentException when a mirror's or the location's name for
   *     the image is not a reference (before anything is contacted)
   */
  public static MirroredSource open(Reference ref, RegistryOptions options) throws IOException {
    Mirrors config = options.mirrors();
    List<Mirrors.Source> mirrors = config == null ? List.of() : config.sourcesFor(ref, options);
    Mirrors.Source location = config == null ? null : config.locationFor(ref, options);
    for (Mirrors.Source s : mirrors) {
      MirroredSource found;
      try {
        found = fetch(s.reference(), s.options());
      } catch (RegistryException e) {
        if (!skippable(e)) {
          throw e;
        }
        LOG.debug("{}: mirror {} skipped: {}", ref, s.mirror().location(), e.getMessage());
        continue;
      }
      LOG.info("{}: pulling from mirror {}", ref, found.reference);
      return found;
    }
    Reference at = location == null ? ref : location.reference();
    try {
      MirroredSource found = fetch(at, location == null ? options : location.options());
      if (location != null) {
        LOG.info("{}: pulling from its location {}", ref, at);
      }
      return found;
    } catch (RegistryException e) {
      String note = "";
      if (!mirrors.isEmpty()) {
        note =
            "tried "
                + mirrors.size()
                + (mirrors.size() == 1 ? " mirror" : " mirrors")
                + " of "
                + ref.registry()
                + " first: none served it";
      }
      if (location != null) {
        note += (note.isEmpty() ? "" : "; ") + ref + " is located at " + at;
      }
      if (note.isEmpty()) {
        throw e;
      }
      throw noted(e, " (" + note + ")");
    }
  }

  private static MirroredSource fetch(Reference ref, RegistryOptions options) throws IOException {
    RegistryClient client = RegistryClient.connect(ref.registry(), options);
    try {
      return new MirroredSource(
          client, ref, client.getManifest(ref.repository(), ref.manifestReference()));
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * Whether a mirror that failed so is passed over: it cannot be reached, refuses us, does not know
   * the image or keeps failing. Not when it served something wrong (a digest mismatch, a schema 1
   * manifest: not a {@link RegistryException}, or {@link UnsupportedMediaTypeException}).
   */
  private static boolean skippable(RegistryException e) {
    if (e instanceof UnsupportedMediaTypeException) {
      return false;
    }
    return e instanceof RegistryUnreachableException
        || e instanceof RegistryAuthException
        || e instanceof ManifestUnknownException
        || e.retryable()
        || e.status() == 401
        || e.status() == 403
        || e.status() == 404;
  }

  /** {@code e} of the same kind, with {@code note} after its message. */
  static RegistryException noted(RegistryException e, String note) {
    String m = e.getMessage() + note;
    RegistryException n;
    if (e instanceof TlsFailureException t) {
      n = new TlsFailureException(m, t.registry(), t.kind(), e.getCause());
    } else if (e instanceof RegistryUnreachableException) {
      n = new RegistryUnreachableException(m, e.retryable(), e.getCause());
    } else if (e instanceof CredentialsNotSentException) {
      n = new CredentialsNotSentException(m);
    } else if (e instanceof RegistryAuthException) {
      n = new RegistryAuthException(m, e.status());
    } else if (e instanceof ManifestUnknownException) {
      n = new ManifestUnknownException(m, e.status());
    } else if (e.getClass() == RegistryException.class) {
      n = new RegistryException(m, e.status(), e.retryable(), e.getCause());
    } else {
      return e;
    }
    n.setStackTrace(e.getStackTrace());
    return n;
  }

  /** The client of the source that serves the image. */
  public RegistryClient client() {
    return client;
  }

  /** The image's name at that source (a mirror's, or the reference pulled). */
  public Reference reference() {
    return reference;
  }

  /** The manifest (or index) {@link #reference()} names, as that source served it, verified. */
  public FetchedManifest manifest() {
    return manifest;
  }

  @Override
  public void close() {
    client.close();
  }
}
