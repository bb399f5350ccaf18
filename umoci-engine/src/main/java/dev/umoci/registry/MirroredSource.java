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

  /** Whether {@code options} name a mirror to try for a pull of {@code ref}. */
  public static boolean applies(Reference ref, RegistryOptions options) {
    return options.mirrors() != null && !options.mirrors().sourcesFor(ref, options).isEmpty();
  }

  /**
   * Connects to the first source of {@code ref} (its mirrors in order, then its registry, with
   * {@code options}) that serves the manifest {@code ref} names, and fetches that manifest.
   */
  public static MirroredSource open(Reference ref, RegistryOptions options) throws IOException {
    List<Mirrors.Source> mirrors =
        options.mirrors() == null ? List.of() : options.mirrors().sourcesFor(ref, options);
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
      LOG.debug("{}: pulling from mirror {}", ref, found.reference);
      return found;
    }
    try {
      return fetch(ref, options);
    } catch (RegistryException e) {
      if (mirrors.isEmpty()) {
        throw e;
      }
      throw noted(
          e,
          " (tried "
              + mirrors.size()
              + (mirrors.size() == 1 ? " mirror" : " mirrors")
              + " of "
              + ref.registry()
              + " first: none served it)");
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
