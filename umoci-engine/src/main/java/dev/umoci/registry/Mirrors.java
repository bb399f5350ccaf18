package dev.umoci.registry;

import dev.umoci.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pull-through mirrors of registries (or of namespaces in them), as containers' {@code
 * registries.conf} and Jib's {@code registryMirrors} describe them: a pull of an image whose name
 * starts with an entry's {@link Entry#prefix()} tries each of the entry's mirrors in order before
 * the registry itself ({@link MirroredSource}), and the registry itself at the entry's {@link
 * Entry#location()} when it has one. Only pulls use mirrors and locations; pushes never do.
 *
 * @param entries at most one per prefix; of those that match a name, the one {@link RegistryPrefix}
 *     ranks first applies
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
   * The mirrors of one registry or namespace, and where the registry itself is.
   *
   * @param prefix {@code host[:port]} or {@code host[:port]/namespace...}, as image names are
   *     written in full ({@code docker.io/library/eclipse-temurin}), or {@code *.domain} for every
   *     registry host below {@code domain} (see {@link RegistryPrefix}); {@code index.docker.io} is
   *     {@code docker.io}
   * @param location where the images under {@code prefix} really are, {@code host[:port][/path]}
   *     (the image {@code PREFIX/REST} is pulled as {@code LOCATION/REST}, after the mirrors), or
   *     null when they are where their names say (a location equal to the prefix is null)
   * @param mirrors tried in this order, before the registry itself
   * @param digestOnly use the mirrors only for references by digest ({@code
   *     mirror-by-digest-only}); a tag is always resolved by the registry itself
   */
  public record Entry(String prefix, String location, List<Endpoint> mirrors, boolean digestOnly) {
    public Entry {
      Objects.requireNonNull(prefix, "prefix");
      prefix = dockerHub(prefix);
      if (prefix.isEmpty() || prefix.endsWith("/")) {
        throw new IllegalArgumentException("malformed mirror prefix \"" + prefix + "\"");
      }
      if (location != null) {
        location = dockerHub(location);
        if (location.equals(prefix)) {
          location = null;
        } else if (location.isEmpty() || location.endsWith("/") || location.startsWith("/")) {
          throw new IllegalArgumentException("malformed location \"" + location + "\"");
        }
      }
      mirrors = List.copyOf(mirrors);
      if (digestOnly) {
        for (Endpoint m : mirrors) {
          if (m.pullFrom() != PullFrom.ALL) {
            throw new IllegalArgumentException(
                "mirror " + m.location() + ": pull-from-mirror with mirror-by-digest-only");
          }
        }
      }
    }

    /** Mirrors only, the registry where the names say. */
    public Entry(String prefix, List<Endpoint> mirrors, boolean digestOnly) {
      this(prefix, null, mirrors, digestOnly);
    }

    /** Whether a pull of {@code ref} (which this entry applies to) goes elsewhere than its name. */
    boolean redirects(Reference ref) {
      return location != null
          || mirrors.stream().anyMatch(m -> (!digestOnly || ref.digest() != null) && m.serves(ref));
    }
  }

  private static String dockerHub(String prefix) {
    return prefix.startsWith("index.docker.io") && isPathPrefix(prefix, "index.docker.io")
        ? Reference.DOCKER_HUB + prefix.substring("index.docker.io".length())
        : prefix;
  }

  /** Which references a mirror serves ({@code pull-from-mirror}). */
  public enum PullFrom {
    /** Tags and digests ({@code all}, the default). */
    ALL("all"),
    /** References by digest only ({@code digest-only}). */
    DIGEST_ONLY("digest-only"),
    /** References by tag only ({@code tag-only}): a digest goes to the next source. */
    TAG_ONLY("tag-only");

    private final String value;

    PullFrom(String value) {
      this.value = value;
    }

    /** The constant {@code registries.conf} writes as {@code value}, or null for none. */
    public static PullFrom of(String value) {
      for (PullFrom p : values()) {
        if (p.value.equals(value)) {
          return p;
        }
      }
      return null;
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
   * @param pullFrom which references the mirror serves ({@code pull-from-mirror}); others skip it
   */
  public record Endpoint(
      String location, boolean insecure, CredentialSource credentials, PullFrom pullFrom) {
    public Endpoint {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(pullFrom, "pullFrom");
      int slash = location.indexOf('/');
      if (location.isEmpty() || slash == 0 || location.endsWith("/")) {
        throw new IllegalArgumentException("malformed mirror location \"" + location + "\"");
      }
    }

    /** A mirror for tags and digests alike. */
    public Endpoint(String location, boolean insecure, CredentialSource credentials) {
      this(location, insecure, credentials, PullFrom.ALL);
    }

    /** Whether this mirror serves {@code ref}, by its tag or digest. */
    boolean serves(Reference ref) {
      return switch (pullFrom) {
        case ALL -> true;
        case DIGEST_ONLY -> ref.digest() != null;
        case TAG_ONLY -> ref.digest() == null;
      };
    }
  }

  /**
   * A place to pull {@code reference} from: a mirror's name for the image (same tag and digest), or
   * the registry's own {@link Entry#location()}'s ({@code mirror} then names that location).
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

  /**
   * The entry that applies to {@code ref}: of those whose prefix matches its name, the one
   * containers-image picks ({@link RegistryPrefix}); or null.
   */
  public Entry entryFor(Reference ref) {
    String name = name(ref);
    Entry best = null;
    for (Entry e : entries) {
      if (RegistryPrefix.match(name, e.prefix()) >= 0
          && RegistryPrefix.beats(e.prefix(), best == null ? null : best.prefix())) {
        best = e;
      }
    }
    return best;
  }

  /**
   * Whether a pull of {@code ref} may go elsewhere than its name says: to a mirror, or to the
   * {@link Entry#location()} of its entry.
   */
  public boolean redirects(Reference ref) {
    Entry e = entryFor(ref);
    return e != null && e.redirects(ref);
  }

  /**
   * The mirrors to try for a pull of {@code ref} with {@code origin} (the options for the registry
   * itself), in order; empty when none applies (no entry, a tag reference of a digest-only entry,
   * mirrors whose {@code pull-from-mirror} excludes the reference).
   *
   * @throws InvalidArgumentException when a mirror's name for the image is not a reference (a
   *     wildcard entry whose matched host has a port, and a mirror location with a path)
   */
  public List<Source> sourcesFor(Reference ref, RegistryOptions origin)
      throws InvalidArgumentException {
    Entry e = entryFor(ref);
    if (e == null || (e.digestOnly() && ref.digest() == null)) {
      return List.of();
    }
    List<Source> out = new ArrayList<>();
    for (Endpoint m : e.mirrors()) {
      if (m.serves(ref)) {
        Reference at = rewrite(ref, e, m.location());
        RegistryOptions.Builder b =
            elsewhere(origin).tlsVerify(origin.tlsVerify() && !m.insecure());
        if (!origin.anonymous()) {
          b.credentials(m.credentials());
        }
        out.add(new Source(at, m, b.build()));
      }
    }
    return out;
  }

  /**
   * Where the registry itself keeps {@code ref} when its entry has a {@link Entry#location()}: that
   * name, with {@code origin}'s TLS verification and anonymity, and the credentials and
   * certificates of the location's host (those of {@code origin} when it is {@code ref}'s host);
   * null when {@code ref} is where its name says.
   *
   * @throws InvalidArgumentException when the location's name for the image is not a reference
   */
  public Source locationFor(Reference ref, RegistryOptions origin) throws InvalidArgumentException {
    Entry e = entryFor(ref);
    if (e == null || e.location() == null) {
      return null;
    }
    Reference at = rewrite(ref, e, e.location());
    RegistryOptions options =
        at.registry().equals(ref.registry())
            ? origin.toBuilder().mirrors(null).build()
            : elsewhere(origin).build();
    return new Source(at, new Endpoint(e.location(), !origin.tlsVerify(), null), options);
  }

  /** {@code origin} for another host: no mirrors, its own certificates and credentials. */
  private static RegistryOptions.Builder elsewhere(RegistryOptions origin) {
    RegistryOptions.Builder b = origin.toBuilder().mirrors(null).certDir(null);
    if (!origin.anonymous()) {
      b.credentials((CredentialSource) null);
    }
    return b;
  }

  /**
   * {@code ref} with the part of its name that {@code e}'s prefix matches replaced by {@code
   * location} (as containers-image rewrites it: for a wildcard, what follows the matched domain, a
   * port included, is kept), with the same tag and digest.
   */
  static Reference rewrite(Reference ref, Entry e, String location)
      throws InvalidArgumentException {
    String name = name(ref);
    String rewritten = location + name.substring(RegistryPrefix.match(name, e.prefix()));
    int slash = rewritten.indexOf('/');
    try {
      if (slash < 0) {
        throw new InvalidArgumentException("no repository");
      }
      Reference.parse(rewritten);
    } catch (InvalidArgumentException x) {
      throw new InvalidArgumentException(
          "docker://"
              + ref
              + ": registries.conf maps it to \""
              + rewritten
              + "\" (prefix "
              + e.prefix()
              + ", location "
              + location
              + "), not an image name");
    }
    return new Reference(
        rewritten.substring(0, slash), rewritten.substring(slash + 1), ref.tag(), ref.digest());
  }

  private static String name(Reference ref) {
    return ref.registry() + "/" + ref.repository();
  }

  /** Whether {@code name} is {@code prefix} or starts with {@code prefix/}. */
  static boolean isPathPrefix(String name, String prefix) {
    return name.startsWith(prefix)
        && (name.length() == prefix.length() || name.charAt(prefix.length()) == '/');
  }
}
