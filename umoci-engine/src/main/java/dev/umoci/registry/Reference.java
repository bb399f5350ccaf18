package dev.umoci.registry;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.Digest;
import java.util.regex.Pattern;

/**
 * An image reference in the docker/distribution grammar: {@code [host[:port]/]repo[:tag][@digest]}.
 * The first path component is a registry host when it contains a {@code .} or a {@code :} or is
 * {@code localhost}; otherwise the reference is on Docker Hub ({@code docker.io}), where one-word
 * repositories live below {@code library/}. Docker Hub's API is served from {@code
 * registry-1.docker.io} ({@link #apiHost()}).
 *
 * @param registry the registry as named ({@code docker.io}, {@code 127.0.0.1:5000})
 * @param repository the repository path, lower case
 * @param tag the tag, or null
 * @param digest the digest, or null; when both are given the digest decides what is fetched
 */
public record Reference(String registry, String repository, String tag, Digest digest) {
  public static final String DOCKER_HUB = "docker.io";
  public static final String DOCKER_HUB_API = "registry-1.docker.io";
  public static final String DEFAULT_TAG = "latest";

  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern HOST =
      Pattern.compile(
          "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
              + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");

  /**
   * Parses a reference; a reference with neither tag nor digest gets no tag here (see {@link
   * #withDefaultTag()}).
   *
   * @throws InvalidArgumentException naming what part of {@code text} is malformed
   */
  public static Reference parse(String text) throws InvalidArgumentException {
    if (text == null || text.isEmpty()) {
      throw new InvalidArgumentException("invalid image reference: empty");
    }
    String rest = text;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      try {
        digest = Digest.parse(rest.substring(at + 1));
      } catch (IllegalArgumentException | dev.umoci.errors.InvalidImageException e) {
        throw new InvalidArgumentException(
            "invalid image reference \"" + text + "\": malformed digest after '@'");
      }
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new InvalidArgumentException(
            "invalid image reference \"" + text + "\": malformed tag \"" + tag + "\"");
      }
    }
    String registry = DOCKER_HUB;
    String path = rest;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        if (first.length() > 255 || !HOST.matcher(first).matches()) {
          throw new InvalidArgumentException(
              "invalid image reference \""
                  + text
                  + "\": malformed registry host \""
                  + first
                  + "\"");
        }
        registry = first;
        path = rest.substring(slash + 1);
      }
    }
    if (registry.equals("index.docker.io")) {
      registry = DOCKER_HUB;
    }
    if (path.isEmpty()) {
      throw new InvalidArgumentException(
          "invalid image reference \"" + text + "\": repository name is empty");
    }
    // Before the patterns: java.util.regex recurses once per repeated group, so an unbounded
    // name (a.a.a...) would overflow the stack (found by fuzzing).
    if (path.length() > 255) {
      throw new InvalidArgumentException(
          "invalid image reference \"" + text + "\": repository name longer than 255 characters");
    }
    for (String component : path.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw new InvalidArgumentException(
            "invalid image reference \""
                + text
                + "\": repository \""
                + path
                + "\" must be lower-case words separated by '/' (with '.', '_', '-' inside)");
      }
    }
    if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
      path = "library/" + path;
    }
    return new Reference(registry, path, tag, digest);
  }

  /** This reference, with tag {@code latest} when it has neither tag nor digest. */
  public Reference withDefaultTag() {
    return tag == null && digest == null
        ? new Reference(registry, repository, DEFAULT_TAG, null)
        : this;
  }

  /** The host (and port) the distribution API is served from. */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
  }

  /** What goes after {@code /manifests/}: the digest when there is one, else the tag. */
  public String manifestReference() {
    if (digest != null) {
      return digest.toString();
    }
    return tag == null ? DEFAULT_TAG : tag;
  }

  /** Same registry and repository (ignoring tag and digest). */
  public boolean sameRepository(Reference other) {
    return registry.equals(other.registry) && repository.equals(other.repository);
  }

  /** The full form: {@code registry/repository[:tag][@digest]}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(registry).append('/').append(repository);
    if (tag != null) {
      s.append(':').append(tag);
    }
    if (digest != null) {
      s.append('@').append(digest);
    }
    return s.toString();
  }
}
