package dev.umoci.registry;

import dev.umoci.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pull-through mirrors of registries (or of namespaces in them), as containers' {@code
 * registries.conf} and Jib's {@code registryMirrors} describe them: a pull of an image whose name
 * starts with an entry's {@link Entry#prefix()} tries each of the entry's mirrors in order before
 * the registry itself ({@link MirroredSource}). Only pulls use mirrors; pushes never do.
 *
 * @param entries at most one per prefix; the longest prefix that matches a name applies
 */
public record Mirrors(List<Entry> entries) {

  public Mirrors {
    entries = List.copyOf(entries);
    for (int i = 0; i < entries.size(); i++) {
      for (int j = i + 1; j < entries.size(); j++) {
        if (entries.get(i).prefix().equals(entries.get(j).prefix())) {
          throw new IllegalArgumentException("two mirror entries for " + entries.get(i).prefix());
        }
      }
    }
  }

  /**
   * The mirrors of one registry or namespace.
   *
   * @param prefix {@code host[:port]} or {@code host[:port]/namespace...}, as image names are
   *     written in full ({@code docker.io/library/eclipse-temurin}); {@code index.docker.io} is
   *     {@code docker.io}
   * @param mirrors tried in this order, before the registry itself
   * @param digestOnly use the mirrors only for references by digest ({@code
   *     mirror-by-digest-only}); a tag is always resolved by the registry itself
   */
  public record Entry(String prefix, List<Endpoint> mirrors, boolean digestOnly) {
    public Entry {
      Objects.requireNonNull(prefix, "prefix");
      if (prefix.startsWith("index.docker.io") && isPathPrefix(prefix, "index.docker.io")) {
        prefix = Reference.DOCKER_HUB + prefix.substring("index.docker.io".length());
      }
      if (prefix.isEmpty() || prefix.endsWith("/")) {
        throw new IllegalArgumentException("malformed mirror prefix \"" + prefix + "\"");
      }
      mirrors = List.copyOf(mirrors);
    }
  }

  /**
   * One mirror.
   *
   * @param location {@code host[:port]} or {@code host[:port]/path}: the image {@code PREFIX/REST}
   *     is pulled from repository {@code path/REST} on {@code host}
   * @param insecure allow plain HTTP and unverified TLS for this mirror only
   * @param credentials explicit credentials for this mirror (a Maven {@code settings.xml} server),
   *     or null to look them up for the mirror's host like any registry's
   */
  public record Endpoint(String location, boolean insecure, CredentialSource credentials) {
    public Endpoint {
      Objects.requireNonNull(location, "location");
      int slash = location.indexOf('/');
      if (location.isEmpty() || slash == 0 || location.endsWith("/")) {
        throw new IllegalArgumentException("malformed mirror location \"" + location + "\"");
      }
    }

    /** The mirror's host ({@code host[:port]}), whose credentials and TLS material apply. */
    public String host() {
      int slash = location.indexOf('/');
      return slash < 0 ? location : location.substring(0, slash);
    }

    /** The repository path the mirror keeps the images under, or "" for none. */
    public String path() {
      int slash = location.indexOf('/');
      return slash < 0 ? "" : location.substring(slash + 1);
    }
  }

  /**
   * A place to pull {@code reference} from: a mirror's name for the image (same tag and digest).
   *
   * @param options how to talk to the mirror: those of the origin, with TLS relaxed when the mirror
   *     is insecure, and credentials and certificates looked up for the mirror's host
   */
  public record Source(Reference reference, Endpoint mirror, RegistryOptions options) {}

  /**
   * Checks that {@code location} (a mirror's, or a prefix) is {@code host[:port][/path]}, with a
   * host that a reference would take for one (with a {@code .} or a port, or {@code localhost}).
   *
   * @throws InvalidArgumentException saying what the value is not (the caller names where it is)
   */
  public static void checkLocation(String location) throws InvalidArgumentException {
    int slash = location.indexOf('/');
    String host = slash < 0 ? location : location.substring(0, slash);
    boolean ok;
    try {
      Reference r = Reference.parse(location + "/x");
      ok = r.registry().equals(host) || host.equals("index.docker.io");
    } catch (InvalidArgumentException e) {
      ok = false;
    }
    if (!ok) {
      throw new InvalidArgumentException(
          "\""
              + location
              + "\" is not host[:port][/path] (a host with a '.' or a port, or localhost)");
    }
  }

  /** The entry whose prefix is the longest that {@code ref}'s name starts with, or null. */
  public Entry entryFor(Reference ref) {
    String name = ref.registry() + "/" + ref.repository();
    Entry best = null;
    for (Entry e : entries) {
      if (isPathPrefix(name, e.prefix())
          && (best == null || e.prefix().length() > best.prefix().length())) {
        best = e;
      }
    }
    return best;
  }

  /**
   * The mirrors to try for a pull of {@code ref} with {@code origin} (the options for the registry
   * itself), in order; empty when none applies (no entry, or a tag reference of a digest-only
   * entry).
   */
  public List<Source> sourcesFor(Reference ref, RegistryOptions origin) {
    Entry e = entryFor(ref);
    if (e == null || (e.digestOnly() && ref.digest() == null)) {
      return List.of();
    }
    String rest = (ref.registry() + "/" + ref.repository()).substring(e.prefix().length());
    List<Source> out = new ArrayList<>();
    for (Endpoint m : e.mirrors()) {
      String path = m.path() + rest;
      if (path.startsWith("/")) {
        path = path.substring(1);
      }
      RegistryOptions.Builder b =
          origin.toBuilder()
              .mirrors(null)
              .certDir(null)
              .tlsVerify(origin.tlsVerify() && !m.insecure());
      if (!origin.anonymous()) {
        b.credentials(m.credentials());
      }
      out.add(new Source(new Reference(m.host(), path, ref.tag(), ref.digest()), m, b.build()));
    }
    return out;
  }

  /** Whether {@code name} is {@code prefix} or starts with {@code prefix/}. */
  static boolean isPathPrefix(String name, String prefix) {
    return name.startsWith(prefix)
        && (name.length() == prefix.length() || name.charAt(prefix.length()) == '/');
  }
}
