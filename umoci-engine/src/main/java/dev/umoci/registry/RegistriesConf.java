package dev.umoci.registry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.umoci.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry mirrors of containers' {@code registries.conf} (version 2), found as skopeo finds
 * it: {@code $CONTAINERS_REGISTRIES_CONF} alone; else {@code ~/.config/containers/registries.conf}
 * if it exists, with the drop-ins {@code ~/.config/containers/registries.conf.d/*.conf}; else
 * {@code /etc/containers/registries.conf} with {@code /etc/containers/registries.conf.d/*.conf},
 * then {@code ~/.config/containers/registries.conf.d/*.conf} (in name order; a table for a prefix
 * in a later file replaces the one in an earlier file; within one file the first table for a prefix
 * wins, as in containers-image).
 *
 * <p>Only {@code [[registry]]} tables matter: their {@code prefix} (a wildcard {@code *.domain}
 * too, see {@link RegistryPrefix} for which table applies to a name), {@code location} (where the
 * images under the prefix are pulled from, {@link Mirrors.Entry#location()}; pushes go where their
 * names say, as in containers-image), {@code insecure} and {@code blocked} ({@link Rule}, for both
 * sides of a copy), {@code mirror-by-digest-only}, and the {@code location}, {@code insecure} and
 * {@code pull-from-mirror} of each {@code [[registry.mirror]]}. Everything else (search registries,
 * short names, prefixes with a tag or digest) is ignored, and so is a file without a line that
 * starts a {@code [[registry]]} table, which is not even parsed (Debian's default file is all
 * comments, some of them showing such tables): a {@code copy} without mirrors starts as fast as
 * before.
 */
public final class RegistriesConf {
  private static final Logger LOG = LoggerFactory.getLogger(RegistriesConf.class);

  /** The environment variable naming the one file to read instead of the default ones. */
  public static final String ENV = "CONTAINERS_REGISTRIES_CONF";

  private static final Path SYSTEM = Path.of("/etc/containers/registries.conf");

  private RegistriesConf() {}

  /**
   * What {@code registries.conf} says of one registry or namespace besides its mirrors.
   *
   * @param prefix as {@link Mirrors.Entry#prefix()}
   * @param insecure plain HTTP and unverified TLS allowed for it (unless the command line asks for
   *     verification)
   * @param blocked no pull from it, no push to it
   * @param file the file that said so
   */
  public record Rule(String prefix, boolean insecure, boolean blocked, Path file) {}

  /** The mirrors and rules of the files read; either may be empty. */
  public record Config(Mirrors mirrors, List<Rule> rules) {
    public Config {
      rules = List.copyOf(rules);
    }

    /**
     * The rule of the table that applies to {@code ref} (the one containers-image picks of those
     * whose prefix matches, see {@link RegistryPrefix}), or null.
     */
    public Rule ruleFor(Reference ref) {
      String name = ref.registry() + "/" + ref.repository();
      Rule best = null;
      for (Rule r : rules) {
        if (RegistryPrefix.match(name, r.prefix()) >= 0
            && RegistryPrefix.beats(r.prefix(), best == null ? null : best.prefix())) {
          best = r;
        }
      }
      return best;
    }

    /**
     * The options for copying from or to {@code ref}: {@code options} with TLS verification off
     * when the rule for {@code ref} says {@code insecure} and {@code tlsVerifyGiven} is false (an
     * explicit {@code --src-tls-verify}/{@code --dest-tls-verify} wins, as in skopeo).
     *
     * @throws InvalidArgumentException when the rule for {@code ref} says {@code blocked}
     */
    public RegistryOptions apply(Reference ref, RegistryOptions options, boolean tlsVerifyGiven)
        throws InvalidArgumentException {
      Rule r = ruleFor(ref);
      if (r == null) {
        return options;
      }
      if (r.blocked()) {
        throw new InvalidArgumentException(
            "docker://" + ref + ": " + r.prefix() + " is blocked in " + r.file());
      }
      return r.insecure() && !tlsVerifyGiven
          ? options.toBuilder().tlsVerify(false).build()
          : options;
    }
  }

  /**
   * The mirrors and rules the files for {@code env} ({@code CONTAINERS_REGISTRIES_CONF}, {@code
   * HOME}) configure, or null when they configure neither.
   *
   * @throws InvalidArgumentException naming the file and what is wrong in it, or that {@code
   *     $CONTAINERS_REGISTRIES_CONF} names a file that does not exist
   */
  public static Config read(Map<String, String> env) throws IOException {
    Map<String, Mirrors.Entry> entries = new LinkedHashMap<>();
    Map<String, Rule> rules = new LinkedHashMap<>();
    for (Path file : files(env)) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        if (file.toString().equals(env.get(ENV))) {
          throw new InvalidArgumentException(
              ENV + "=" + file + ": no such file (the registries.conf to read)");
        }
        continue;
      } catch (CharacterCodingException e) {
        throw new InvalidArgumentException(file + ": not UTF-8 text (TOML must be)");
      }
      if (hasRegistryTable(text)) {
        List<Rule> fileRules = new ArrayList<>();
        for (Mirrors.Entry e : parse(file, text, fileRules)) {
          entries.remove(e.prefix());
          entries.put(e.prefix(), e);
        }
        for (Rule r : fileRules) {
          rules.remove(r.prefix());
          rules.put(r.prefix(), r);
        }
      }
    }
    // Tables that do nothing still count: a longer prefix hides a shorter one's settings.
    boolean redirects =
        entries.values().stream().anyMatch(e -> !e.mirrors().isEmpty() || e.location() != null);
    boolean ruled = rules.values().stream().anyMatch(r -> r.insecure() || r.blocked());
    if (!redirects && !ruled) {
      return null;
    }
    return new Config(
        redirects ? new Mirrors(new ArrayList<>(entries.values())) : null,
        ruled ? new ArrayList<>(rules.values()) : List.of());
  }

  /**
   * Whether a line of {@code text} starts (after blanks) a {@code [[registry]]} table: a file
   * without one is not parsed (its comments may show such tables, as Debian's does).
   */
  static boolean hasRegistryTable(String text) {
    int from = 0;
    while (true) {
      int at = text.indexOf("[[", from);
      if (at < 0) {
        return false;
      }
      int line = at;
      while (line > 0 && (text.charAt(line - 1) == ' ' || text.charAt(line - 1) == '\t')) {
        line--;
      }
      if (line == 0 || text.charAt(line - 1) == '\n' || text.charAt(line - 1) == '\r') {
        int i = at + 2;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
          i++;
        }
        if (text.startsWith("registry", i)) {
          return true;
        }
      }
      from = at + 2;
    }
  }

  /** The files to read for {@code env}, in order; some may not exist. */
  static List<Path> files(Map<String, String> env) throws IOException {
    String given = env.get(ENV);
    if (given != null && !given.isEmpty()) {
      return List.of(Path.of(given));
    }
    String home = env.get("HOME");
    Path userDir = home == null || home.isEmpty() ? null : Path.of(home, ".config", "containers");
    List<Path> out = new ArrayList<>();
    if (userDir != null && Files.exists(userDir.resolve("registries.conf"))) {
      out.add(userDir.resolve("registries.conf"));
    } else {
      out.add(SYSTEM);
      dropIns(SYSTEM.resolveSibling("registries.conf.d"), out);
    }
    if (userDir != null) {
      dropIns(userDir.resolve("registries.conf.d"), out);
    }
    return out;
  }

  /** Adds the {@code *.conf} files of {@code dir} (if it exists) in name order. */
  private static void dropIns(Path dir, List<Path> out) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.conf")) {
      for (Path p : s) {
        if (Files.isRegularFile(p)) {
          found.add(p);
        }
      }
    }
    found.sort(null);
    out.addAll(found);
  }

  /**
   * The entries of the {@code [[registry]]} tables of {@code text}, the content of {@code file}.
   */
  static List<Mirrors.Entry> parse(Path file, String text) throws InvalidArgumentException {
    return parse(file, text, new ArrayList<>());
  }

  /** As {@link #parse(Path, String)}, adding each table's {@link Rule} to {@code rules}. */
  private static List<Mirrors.Entry> parse(Path file, String text, List<Rule> rules)
      throws InvalidArgumentException {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(text);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      throw new InvalidArgumentException(
          file
              + ": malformed TOML"
              + (at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr())
              + ": "
              + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    JsonNode registries = root.path("registry");
    if (registries.isMissingNode()) {
      return List.of();
    }
    if (!registries.isArray()) {
      throw new InvalidArgumentException(file + ": \"registry\" must be an array of tables");
    }
    List<Mirrors.Entry> out = new ArrayList<>();
    for (JsonNode r : registries) {
      if (!r.isObject()) {
        throw new InvalidArgumentException(file + ": \"registry\" must be an array of tables");
      }
      String location = string(file, r, "location", "[[registry]]");
      String prefix = string(file, r, "prefix", "[[registry]]");
      if (prefix == null || prefix.isEmpty()) {
        prefix = location;
      }
      if (prefix == null || prefix.isEmpty()) {
        throw new InvalidArgumentException(
            file + ": a [[registry]] table has neither prefix nor location");
      }
      String what = "[[registry]] \"" + prefix + "\"";
      boolean digestOnly = bool(file, r, "mirror-by-digest-only", what);
      boolean insecure = bool(file, r, "insecure", what);
      boolean blocked = bool(file, r, "blocked", what);
      if (r.has("pull-from-mirror")) {
        throw new InvalidArgumentException(
            file + ": " + what + ": pull-from-mirror is for a [[registry.mirror]], not a registry");
      }
      List<Mirrors.Endpoint> mirrors = new ArrayList<>();
      JsonNode ms = r.path("mirror");
      if (!ms.isMissingNode() && !ms.isArray()) {
        throw new InvalidArgumentException(
            file + ": " + what + ": \"mirror\" must be an array of tables");
      }
      for (JsonNode m : ms) {
        String mirrorLocation = string(file, m, "location", what + " mirror");
        if (mirrorLocation == null || mirrorLocation.isEmpty()) {
          throw new InvalidArgumentException(file + ": " + what + ": a mirror has no location");
        }
        checkLocation(file, what, mirrorLocation);
        String mirrorWhat = what + " mirror \"" + mirrorLocation + "\"";
        mirrors.add(
            new Mirrors.Endpoint(
                mirrorLocation,
                bool(file, m, "insecure", mirrorWhat),
                null,
                pullFrom(file, m, mirrorWhat, digestOnly)));
      }
      if (RegistryPrefix.isWildcard(prefix)) {
        if (prefix.chars().anyMatch(c -> c == '/' || c == ':' || c == '@')) {
          throw new InvalidArgumentException(
              file + ": " + what + ": a wildcard prefix is *.domain (no port, path or digest)");
        }
        checkLocation(file, what, "x" + prefix.substring(1));
      } else {
        int slash = prefix.indexOf('/');
        if (prefix.contains("@") || (slash >= 0 && prefix.lastIndexOf(':') > slash)) {
          LOG.debug("{}: {}: prefixes with a tag or digest are ignored", file, what);
          continue;
        }
        checkLocation(file, what, prefix);
      }
      if (location != null && !location.isEmpty()) {
        checkLocation(file, what, location);
      } else {
        location = null;
      }
      Mirrors.Entry entry = new Mirrors.Entry(prefix, location, mirrors, digestOnly);
      // the entry's prefix: index.docker.io made docker.io
      if (out.stream().anyMatch(e -> e.prefix().equals(entry.prefix()))) {
        // as containers-image: within a file the first table for a prefix wins
        LOG.debug("{}: {}: a later table for the same prefix is ignored", file, what);
        continue;
      }
      out.add(entry);
      rules.add(new Rule(entry.prefix(), insecure, blocked, file));
    }
    return out;
  }

  /**
   * A mirror's {@code pull-from-mirror}: {@link Mirrors.PullFrom#ALL} when absent; as in
   * containers-image, an error when the registry also says {@code mirror-by-digest-only = true}.
   */
  private static Mirrors.PullFrom pullFrom(
      Path file, JsonNode mirror, String what, boolean digestOnly) throws InvalidArgumentException {
    String value = string(file, mirror, "pull-from-mirror", what);
    if (value == null || value.isEmpty()) {
      return Mirrors.PullFrom.ALL;
    }
    Mirrors.PullFrom p = Mirrors.PullFrom.of(value);
    if (p == null) {
      throw new InvalidArgumentException(
          file
              + ": "
              + what
              + ": pull-from-mirror \""
              + value
              + "\" is not all, digest-only or tag-only");
    }
    if (digestOnly) {
      throw new InvalidArgumentException(
          file
              + ": "
              + what
              + ": pull-from-mirror cannot be set when the registry says mirror-by-digest-only");
    }
    return p;
  }

  /** Checks that {@code location} is {@code host[:port][/path]}. */
  private static void checkLocation(Path file, String what, String location)
      throws InvalidArgumentException {
    try {
      Mirrors.checkLocation(location);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(file + ": " + what + ": " + e.getMessage());
    }
  }

  private static String string(Path file, JsonNode table, String key, String what)
      throws InvalidArgumentException {
    JsonNode v = table.get(key);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidArgumentException(file + ": " + what + ": " + key + " must be a string");
    }
    return v.asText();
  }

  private static boolean bool(Path file, JsonNode table, String key, String what)
      throws InvalidArgumentException {
    JsonNode v = table.get(key);
    if (v == null) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new InvalidArgumentException(
          file + ": " + what + ": " + key + " must be true or false");
    }
    return v.asBoolean();
  }
}
