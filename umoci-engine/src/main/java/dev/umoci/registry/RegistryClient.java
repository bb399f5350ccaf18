package dev.umoci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.errors.DigestMismatchException;
import dev.umoci.errors.LimitExceededException;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The OCI distribution API (v1.1) of one registry: manifests by tag or digest, blobs, uploads. Each
 * method is one protocol step; {@link Puller} and {@link Pusher} compose them. Thread-safe. Close
 * it when done: that stops the HTTP client's thread, which otherwise delays the JVM's exit.
 */
public final class RegistryClient implements AutoCloseable {
  /**
   * A {@code GET} of the URI (a blob's, after redirects): a constant, and {@link RangeGet} a class,
   * rather than lambdas (see the package's note on the transfer threads).
   */
  private static final Function<URI, HttpRequest.Builder> GET =
      u -> HttpRequest.newBuilder(u).GET();

  /** A {@code GET} of bytes {@code start} to {@code end} (inclusive) of the URI. */
  private record RangeGet(long start, long end) implements Function<URI, HttpRequest.Builder> {
    @Override
    public HttpRequest.Builder apply(URI u) {
      return HttpRequest.newBuilder(u).header("Range", "bytes=" + start + "-" + end).GET();
    }
  }

  static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
  static final String DOCKER_SCHEMA1_SIGNED =
      "application/vnd.docker.distribution.manifest.v1+prettyjws";

  /** Manifest kinds this client pulls and pushes. */
  public static final Set<String> MANIFEST_TYPES =
      Set.of(
          MediaTypes.IMAGE_INDEX,
          MediaTypes.IMAGE_MANIFEST,
          MediaTypes.DOCKER_MANIFEST_LIST,
          MediaTypes.DOCKER_MANIFEST_V2);

  private static final String ACCEPT =
      String.join(
          ", ",
          MediaTypes.IMAGE_INDEX,
          MediaTypes.IMAGE_MANIFEST,
          MediaTypes.DOCKER_MANIFEST_LIST,
          MediaTypes.DOCKER_MANIFEST_V2);

  private final Transport transport;

  private RegistryClient(Transport transport) {
    this.transport = transport;
  }

  /**
   * Connects to {@code registry} (as named in a reference) and checks that it speaks the
   * distribution API.
   */
  public static RegistryClient connect(String registry, RegistryOptions options)
      throws IOException {
    String host = registry.equals(Reference.DOCKER_HUB) ? Reference.DOCKER_HUB_API : registry;
    return new RegistryClient(Transport.open(registry, host, options));
  }

  /** Closes the connections and stops the HTTP client's thread; the client is unusable after. */
  @Override
  public void close() {
    transport.close();
  }

  /** The registry's name. */
  public String registry() {
    return transport.registry();
  }

  public RegistryOptions options() {
    return transport.options();
  }

  /** Whether {@code type} is an index (OCI or Docker list). */
  public static boolean isIndex(String type) {
    return MediaTypes.isIndex(type);
  }

  /** Whether {@code type} is an image manifest (OCI or Docker schema 2). */
  public static boolean isManifest(String type) {
    return MediaTypes.isManifest(type);
  }

  /**
   * Fetches a manifest or index by tag or digest, verified: its sha256 must equal the digest asked
   * for, and the {@code Docker-Content-Digest} the registry states.
   *
   * @throws ManifestUnknownException when there is no such tag or digest
   * @throws UnsupportedMediaTypeException for Docker schema 1 and unknown kinds
   * @throws DigestMismatchException when the bytes do not match
   * @throws LimitExceededException when it is larger than the JSON limit {@value InputLimits#JSON}
   */
  public FetchedManifest getManifest(String repository, String reference) throws IOException {
    String what = "manifest " + reference;
    HttpResponse<InputStream> r =
        transport.send(
            "get " + what,
            Scope.pull(repository),
            transport.uri("/v2/" + repository + "/manifests/" + reference),
            u -> HttpRequest.newBuilder(u).header("Accept", ACCEPT).GET(),
            true);
    if (r.statusCode() != 200) {
      RegistryException failure = transport.failure(r, "get " + what, repository);
      if (failure instanceof ManifestUnknownException && !reference.contains(":")) {
        throw new ManifestUnknownException(
            failure.getMessage() + tagsHint(repository), failure.status());
      }
      throw failure;
    }
    String where = RegistryException.where(registry(), repository);
    // The engine's JSON limit (umoci.maxJsonSize), checked against the stated length before the
    // body is read and against the bytes while they are read.
    long max = Math.min(InputLimits.fromSystemProperties().maxJsonBytes(), Integer.MAX_VALUE - 8);
    long stated = r.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (stated > max) {
      Transport.abandon(r);
      throw tooLarge(where + what + " is " + stated + " bytes", max);
    }
    byte[] bytes;
    try (InputStream in = r.body()) {
      bytes = in.readNBytes((int) max + 1);
    } catch (IOException e) {
      throw transport.unreachable("get " + what, repository, e);
    }
    if (bytes.length > max) {
      throw tooLarge(where + what + " is more than " + max + " bytes", max);
    }
    Digest actual = Digest.sha256(bytes);
    if (reference.contains(":")) {
      Digest wanted = Digest.parse(reference);
      if (!wanted.equals(actual)) {
        throw new DigestMismatchException(
            where + what + ": the registry sent content with digest " + actual);
      }
    }
    String statedDigest = r.headers().firstValue("Docker-Content-Digest").orElse(null);
    if (statedDigest != null
        && statedDigest.startsWith(Digest.SHA256 + ":")
        && !statedDigest.equals(actual.toString())) {
      throw new DigestMismatchException(
          where
              + what
              + ": content has digest "
              + actual
              + " but the registry says "
              + statedDigest);
    }
    String type =
        mediaTypeOf(bytes, r.headers().firstValue("Content-Type").orElse(""), where + what);
    return new FetchedManifest(type, actual, bytes);
  }

  /** How many tags a missing tag's error lists. */
  private static final int TAGS_LISTED = 10;

  /**
   * What tells a mistyped tag from a mistyped repository, which registries answer alike ({@code
   * MANIFEST_UNKNOWN}): the repository's tags ({@code GET /v2/<name>/tags/list}, the first page),
   * or that it has none. Empty when the registry does not say (the original error stands alone).
   */
  private String tagsHint(String repository) {
    try {
      HttpResponse<InputStream> r =
          transport.send(
              "list tags",
              Scope.pull(repository),
              transport.uri("/v2/" + repository + "/tags/list"),
              u -> HttpRequest.newBuilder(u).GET(),
              true);
      byte[] body;
      try (InputStream in = r.body()) {
        body = in.readNBytes(1 << 20);
      }
      if (r.statusCode() == 404) {
        return " (the registry has no repository " + repository + ")";
      }
      if (r.statusCode() != 200) {
        return "";
      }
      List<String> tags = new ArrayList<>();
      for (JsonNode tag : Json.parse(body, JsonNode.class, "tags").path("tags")) {
        tags.add(tag.asText());
      }
      if (tags.isEmpty()) {
        return " (repository " + repository + " has no tags)";
      }
      Collections.sort(tags);
      return " (repository "
          + repository
          + " has "
          + String.join(", ", tags.subList(0, Math.min(TAGS_LISTED, tags.size())))
          + (tags.size() > TAGS_LISTED ? ", ..." : "")
          + ")";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static LimitExceededException tooLarge(String what, long max) {
    return InputLimits.exceeded(what + ", larger than the JSON size limit", max, InputLimits.JSON);
  }

  private static String mediaTypeOf(byte[] bytes, String contentType, String what)
      throws IOException {
    JsonNode json = Json.parse(bytes, JsonNode.class, what);
    String embedded = json.path("mediaType").asText("");
    String header = contentType.split(";", 2)[0].trim();
    String type;
    if (!embedded.isEmpty()) {
      type = embedded;
    } else if (MANIFEST_TYPES.contains(header)) {
      type = header;
    } else if (json.path("schemaVersion").asInt() == 2 && json.has("manifests")) {
      type = MediaTypes.IMAGE_INDEX;
    } else if (json.path("schemaVersion").asInt() == 2 && json.has("config")) {
      type = MediaTypes.IMAGE_MANIFEST;
    } else {
      type = header;
    }
    if (type.equals(DOCKER_SCHEMA1)
        || type.equals(DOCKER_SCHEMA1_SIGNED)
        || json.path("schemaVersion").asInt() == 1) {
      throw new UnsupportedMediaTypeException(
          what
              + ": Docker schema 1 manifests are not supported (push the image again with a current client)");
    }
    if (!MANIFEST_TYPES.contains(type)) {
      throw new UnsupportedMediaTypeException(
          what + ": unsupported manifest media type \"" + type + "\"");
    }
    if (!embedded.isEmpty() && MANIFEST_TYPES.contains(header) && !header.equals(embedded)) {
      throw new UnsupportedMediaTypeException(
          what + ": served as " + header + " but its mediaType says " + embedded);
    }
    return type;
  }

  /**
   * Whether the repository has the manifest or index {@code digest} ({@code HEAD}). A registry
   * stores a manifest only when everything it references is there, so a push that finds its top
   * manifest has nothing to send but the tag.
   */
  public boolean hasManifest(String repository, Digest digest) throws IOException {
    String what = "check manifest " + digest;
    HttpResponse<InputStream> r =
        transport.send(
            what,
            Scope.push(repository),
            transport.uri("/v2/" + repository + "/manifests/" + digest),
            u ->
                HttpRequest.newBuilder(u)
                    .header("Accept", ACCEPT)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()),
            true);
    return found(r, what, repository);
  }

  /** Whether the repository has the blob ({@code HEAD}). */
  public boolean hasBlob(String repository, Digest digest, boolean forPush) throws IOException {
    String what = "check blob " + digest;
    HttpResponse<InputStream> r =
        transport.send(
            what,
            forPush ? Scope.push(repository) : Scope.pull(repository),
            transport.uri("/v2/" + repository + "/blobs/" + digest),
            u -> HttpRequest.newBuilder(u).method("HEAD", HttpRequest.BodyPublishers.noBody()),
            true);
    return found(r, what, repository);
  }

  /** The answer to a {@code HEAD}: 200 found, 404 not; any other status is an error. */
  private boolean found(HttpResponse<InputStream> r, String what, String repository)
      throws RegistryException {
    Transport.drain(r);
    if (r.statusCode() == 200) {
      return true;
    }
    if (r.statusCode() == 404) {
      return false;
    }
    throw new RegistryException(
        RegistryException.where(registry(), repository) + what + ": HTTP " + r.statusCode(),
        r.statusCode());
  }

  /**
   * Opens a blob's content (following redirects). The caller verifies and closes it. A dropped
   * connection while reading surfaces as a plain {@link IOException} from the stream. The stream is
   * a {@link BlobBody}: this package's callers take the client's buffers from it.
   */
  public InputStream openBlob(String repository, Digest digest) throws IOException {
    String what = "get blob " + digest;
    HttpResponse<InputStream> r =
        transport.send(
            what,
            Scope.pull(repository),
            transport.uri("/v2/" + repository + "/blobs/" + digest),
            GET,
            true);
    if (r.statusCode() != 200) {
      throw transport.failure(r, what, repository);
    }
    return r.body();
  }

  /**
   * Asks for bytes {@code start} to {@code end} (inclusive) of a blob. A registry that serves the
   * range answers 206 with exactly that {@code Content-Range}: the result is partial. One that
   * ignores {@code Range} answers 200 with the whole blob: the result is not partial and holds the
   * whole blob. A 206 for another range than asked is an error.
   */
  BlobRange openBlobRange(String repository, Digest digest, long start, long end)
      throws IOException {
    String what = "get blob " + digest + " bytes " + start + "-" + end;
    HttpResponse<InputStream> r =
        transport.send(
            what,
            Scope.pull(repository),
            transport.uri("/v2/" + repository + "/blobs/" + digest),
            new RangeGet(start, end),
            true);
    if (r.statusCode() == 200) {
      return new BlobRange(false, (BlobBody) r.body());
    }
    if (r.statusCode() != 206) {
      throw transport.failure(r, what, repository);
    }
    String range = r.headers().firstValue("Content-Range").orElse("");
    if (!range.matches("bytes " + start + "-" + end + "/(\\d+|\\*)")) {
      Transport.abandon(r);
      throw new RegistryException(
          RegistryException.where(registry(), repository)
              + what
              + ": the registry answered with Content-Range \""
              + range
              + "\"",
          206,
          false,
          null);
    }
    return new BlobRange(true, (BlobBody) r.body());
  }

  /** The answer to a range request: the part asked for, or the whole blob. */
  record BlobRange(boolean partial, BlobBody body) {}

  /**
   * Starts a blob upload; with {@code mountFrom} first asks the registry to mount the blob from
   * that repository.
   *
   * @return null when the blob was mounted, else the upload location
   */
  URI startUpload(String repository, Digest digest, String mountFrom) throws IOException {
    String query =
        mountFrom == null
            ? ""
            : "?mount=" + encode(digest.toString()) + "&from=" + encode(mountFrom);
    String what =
        mountFrom == null
            ? "start upload of blob " + digest
            : "mount blob " + digest + " from " + mountFrom;
    HttpResponse<InputStream> r =
        transport.send(
            what,
            new Scope(repository, true, mountFrom),
            transport.uri("/v2/" + repository + "/blobs/uploads/" + query),
            u -> HttpRequest.newBuilder(u).POST(HttpRequest.BodyPublishers.noBody()),
            true);
    if (r.statusCode() == 201 && mountFrom != null) {
      Transport.drain(r);
      return null;
    }
    if (r.statusCode() != 202) {
      throw transport.failure(r, what, repository);
    }
    Transport.drain(r);
    return location(r, repository, what);
  }

  /**
   * Sends one chunk ({@code PATCH}) of an upload.
   *
   * @return the location for the next request
   */
  URI patch(
      String repository,
      URI location,
      long offset,
      long length,
      Supplier<HttpRequest.BodyPublisher> body)
      throws IOException {
    String what = "upload chunk at byte " + offset;
    HttpResponse<InputStream> r =
        transport.send(
            what,
            Scope.push(repository),
            location,
            u ->
                HttpRequest.newBuilder(u)
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Range", offset + "-" + (offset + length - 1))
                    .method("PATCH", body.get()),
            false);
    if (r.statusCode() != 202) {
      throw transport.failure(r, what, repository);
    }
    Transport.drain(r);
    return location(r, repository, what);
  }

  /** Finishes an upload with its digest, sending {@code body} (may be empty) with it. */
  void finishUpload(
      String repository, URI location, Digest digest, Supplier<HttpRequest.BodyPublisher> body)
      throws IOException {
    String what = "upload blob " + digest;
    String sep = location.getRawQuery() == null ? "?" : "&";
    URI target = URI.create(location + sep + "digest=" + encode(digest.toString()));
    HttpResponse<InputStream> r =
        transport.send(
            what,
            Scope.push(repository),
            target,
            u ->
                HttpRequest.newBuilder(u)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(body.get()),
            false);
    if (r.statusCode() != 201) {
      throw transport.failure(r, what, repository);
    }
    Transport.drain(r);
  }

  /** Stores a manifest or index under {@code reference} (a tag or its digest). */
  public Digest putManifest(String repository, String reference, String mediaType, byte[] bytes)
      throws IOException {
    String what = "put manifest " + reference;
    HttpResponse<InputStream> r =
        transport.send(
            what,
            Scope.push(repository),
            transport.uri("/v2/" + repository + "/manifests/" + reference),
            u ->
                HttpRequest.newBuilder(u)
                    .header("Content-Type", mediaType)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)),
            true);
    if (r.statusCode() != 201 && r.statusCode() != 200) {
      throw transport.failure(r, what, repository);
    }
    Transport.drain(r);
    Digest digest = Digest.sha256(bytes);
    String stated = r.headers().firstValue("Docker-Content-Digest").orElse(null);
    if (stated != null
        && stated.startsWith(Digest.SHA256 + ":")
        && !stated.equals(digest.toString())) {
      throw new DigestMismatchException(
          RegistryException.where(registry(), repository)
              + what
              + ": the registry stored digest "
              + stated
              + " for content with digest "
              + digest);
    }
    return digest;
  }

  private URI location(HttpResponse<?> r, String repository, String what) throws RegistryException {
    String loc = r.headers().firstValue("Location").orElse(null);
    if (loc == null) {
      throw new RegistryException(
          RegistryException.where(registry(), repository) + what + ": no Location in the answer",
          r.statusCode());
    }
    // RFC 9110: relative to the URI of the request it answers (an upload's PATCH, say), not to
    // the registry's root.
    return Transport.resolveLocation(
        r.request().uri(), loc, RegistryException.where(registry(), repository) + what);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
