package dev.umoci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.Json;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the credentials for a registry as skopeo does: the explicit ones ({@code --creds}, a {@link
 * CredentialSource} resolved at the first lookup), else the first credential file of {@link
 * AuthFiles} that has an entry for the registry: an explicit auth file ({@code --authfile} or
 * {@code $REGISTRY_AUTH_FILE}) alone, otherwise podman's and skopeo's {@code auth.json} files,
 * docker's {@code config.json} and docker's legacy {@code .dockercfg}. In each file, {@code
 * credHelpers} first, then {@code auths}, then (as docker does) {@code credsStore}. A helper is the
 * program {@code docker-credential-<name>} on {@code $PATH}, run with {@code get} and the server
 * address on its standard input.
 *
 * <p>Entries of {@code auths} are matched as containers-image matches them: exact keys first, the
 * most specific first ({@code host/org/repo}, {@code host/org}, {@code host}), then keys that name
 * the host as a URL ({@code https://host/v1/}). Docker Hub is also found under {@code
 * index.docker.io}, {@code registry-1.docker.io} and {@code https://index.docker.io/v1/}. An entry
 * whose {@code auth} holds no {@code user:password} is passed over with a warning (docker writes
 * empty entries next to a helper); bad base64 or JSON is an error. Secrets are never logged nor put
 * into messages.
 */
public final class CredentialResolver {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialResolver.class);
  private static final String HUB_SERVER = "https://index.docker.io/v1/";
  private static final String HUB_KEY = "index.docker.io";

  private final CredentialSource explicit;
  private final Path authFile;
  private final Map<String, String> env;

  /** No source at all: every lookup finds nothing ({@code --no-creds}). */
  private final boolean anonymous;

  /** The files to read, found at the first lookup (so a warning about them is given once). */
  private List<AuthFiles.AuthFile> files;

  /** What {@link #explicit} gave, once it gave it. */
  private Credentials explicitResolved;

  /**
   * @param explicit credentials given on the command line, or null
   * @param authFile an explicit auth file, or null for {@code $REGISTRY_AUTH_FILE} and the default
   *     files
   * @param env the environment ({@code HOME}, {@code XDG_RUNTIME_DIR}, {@code XDG_CONFIG_HOME},
   *     {@code DOCKER_CONFIG}, {@code REGISTRY_AUTH_FILE}, {@code PATH}); nothing is read from the
   *     process environment
   */
  public CredentialResolver(Credentials explicit, Path authFile, Map<String, String> env) {
    this(explicit == null ? null : CredentialSource.of(explicit), authFile, env, false);
  }

  /**
   * A resolver whose explicit credentials come from {@code explicit} (or null), asked for at the
   * first lookup and then kept; the other parameters as {@link #CredentialResolver(Credentials,
   * Path, Map)}.
   */
  public static CredentialResolver of(
      CredentialSource explicit, Path authFile, Map<String, String> env) {
    return new CredentialResolver(explicit, authFile, env, false);
  }

  private CredentialResolver(
      CredentialSource explicit, Path authFile, Map<String, String> env, boolean anonymous) {
    this.explicit = explicit;
    this.authFile = authFile;
    this.env = Map.copyOf(env);
    this.anonymous = anonymous;
  }

  /** A resolver that reads no credential source and finds nothing ({@code --no-creds}). */
  public static CredentialResolver anonymous() {
    return new CredentialResolver(null, null, Map.of(), true);
  }

  /** What was found (or null) and a description of the sources looked at, for error messages. */
  public record Lookup(Credentials credentials, String tried) {}

  /**
   * The credentials for {@code registry} (the name as in a reference, e.g. {@code docker.io}).
   *
   * @throws CredentialSourceException when the explicit source cannot give its credentials
   */
  public Lookup resolve(String registry, String repository) throws IOException {
    if (explicit != null) {
      Credentials c = explicit();
      return new Lookup(c, c.source());
    }
    if (anonymous) {
      return new Lookup(null, "no credentials looked up, as asked (--no-creds)");
    }
    List<String> tried = new ArrayList<>();
    for (AuthFiles.AuthFile file : files()) {
      tried.add(file.label());
      if (!Files.isRegularFile(file.path())) {
        if (file.required()) {
          throw new InvalidArgumentException("auth file " + file.path() + " does not exist");
        }
        continue;
      }
      Credentials c = fromConfig(file, registry, repository);
      if (c != null) {
        LOG.debug("credentials for {} found in {}", registry, c.source());
        return new Lookup(c, c.source());
      }
    }
    return new Lookup(null, "no credentials found (looked in " + String.join(", ", tried) + ")");
  }

  private synchronized Credentials explicit() throws CredentialSourceException {
    if (explicitResolved == null) {
      explicitResolved = explicit.credentials();
    }
    return explicitResolved;
  }

  private synchronized List<AuthFiles.AuthFile> files() {
    if (files == null) {
      files = AuthFiles.of(authFile, env);
    }
    return files;
  }

  private Credentials fromConfig(AuthFiles.AuthFile file, String registry, String repository)
      throws IOException {
    String label = file.label();
    JsonNode root;
    try {
      root =
          Json.parseSensitive(
              Files.readAllBytes(file.path()), JsonNode.class, file.path().toString());
    } catch (IOException e) {
      throw new InvalidArgumentException(
          "cannot read credentials from " + label + ": " + e.getMessage());
    }
    if (!root.isObject()) {
      throw new InvalidArgumentException(
          "cannot read credentials from " + label + ": not a JSON object");
    }
    JsonNode auths = file.legacy() ? root : root.path("auths");
    if (!file.legacy()) {
      JsonNode helpers = root.path("credHelpers");
      for (String key : hostKeys(registry)) {
        if (helpers.hasNonNull(key)) {
          return fromHelper(helpers.get(key).asText(), key, label);
        }
      }
    }
    String key = matchingKey(auths, registry, repository, file.legacy());
    if (key != null) {
      Credentials c = fromEntry(auths.get(key), key, label);
      if (c != null) {
        return c;
      }
    }
    if (!file.legacy() && root.hasNonNull("credsStore")) {
      return fromHelper(root.get("credsStore").asText(), registry, label);
    }
    return null;
  }

  /**
   * The key of {@code auths} for the registry and repository: an exact key, most specific first
   * (not in the legacy format, which names hosts only), else the first key that names the host (as
   * a URL or with a trailing slash).
   */
  static String matchingKey(JsonNode auths, String registry, String repository, boolean legacy) {
    if (!legacy) {
      for (String key : candidateKeys(registry, repository)) {
        if (auths.has(key)) {
          return key;
        }
      }
    }
    String host = normalizeHost(registry, false);
    var names = auths.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (normalizeHost(name, legacy).equals(host)) {
        return name;
      }
    }
    return null;
  }

  private static Credentials fromEntry(JsonNode entry, String key, String label)
      throws InvalidArgumentException {
    String source = label + " (auths \"" + key + "\")";
    String auth = entry.path("auth").asText("");
    if (!auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException(
            label + ": entry \"" + key + "\": \"auth\" is not valid base64");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        // The decoded text is not shown: it might be a secret.
        LOG.warn("{}: entry \"{}\": \"auth\" holds no USER:PASSWORD; ignored", label, key);
        return null;
      }
      return new Credentials(
          decoded.substring(0, colon), trimNul(decoded.substring(colon + 1)), source);
    }
    if (entry.hasNonNull("identitytoken")) {
      return new Credentials(
          Credentials.IDENTITY_TOKEN_USER,
          entry.get("identitytoken").asText(),
          label + " (identity token for \"" + key + "\")");
    }
    return null;
  }

  private static String trimNul(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) == 0) {
      from++;
    }
    while (to > from && s.charAt(to - 1) == 0) {
      to--;
    }
    return s.substring(from, to);
  }

  /** The registry's host names: Docker Hub's aliases for docker.io. */
  private static List<String> hostKeys(String registry) {
    return registry.equals(Reference.DOCKER_HUB)
        ? List.of("docker.io", HUB_KEY, "registry-1.docker.io")
        : List.of(registry);
  }

  /** Most specific first: host/repo/..., host; Docker Hub's aliases for docker.io. */
  static List<String> candidateKeys(String registry, String repository) {
    List<String> hosts = hostKeys(registry);
    List<String> out = new ArrayList<>();
    for (String host : hosts) {
      if (repository != null) {
        String path = repository;
        while (true) {
          out.add(host + "/" + path);
          int slash = path.lastIndexOf('/');
          if (slash < 0) {
            break;
          }
          path = path.substring(0, slash);
        }
      }
    }
    out.addAll(hosts);
    return out;
  }

  /**
   * The host a key names: {@code https://host/v1/} and (legacy) {@code host/...} → {@code host};
   * trailing slashes dropped; Docker Hub's names → {@code index.docker.io}. Other paths stay.
   */
  static String normalizeHost(String key, boolean legacy) {
    String k = key;
    boolean url = false;
    if (k.startsWith("https://")) {
      k = k.substring(8);
      url = true;
    } else if (k.startsWith("http://")) {
      k = k.substring(7);
      url = true;
    }
    if (url || legacy) {
      int slash = k.indexOf('/');
      if (slash >= 0) {
        k = k.substring(0, slash);
      }
    }
    while (k.endsWith("/")) {
      k = k.substring(0, k.length() - 1);
    }
    return k.equals("docker.io") || k.equals("registry-1.docker.io") ? HUB_KEY : k;
  }

  private Credentials fromHelper(String name, String key, String label) throws IOException {
    String program = "docker-credential-" + name;
    Path exe = findOnPath(program);
    String source = "credential helper " + program + " (from " + label + ")";
    if (exe == null) {
      throw new InvalidArgumentException(source + ": " + program + " not found on $PATH");
    }
    String server = key.equals("docker.io") ? HUB_SERVER : hostOf(key);
    Process p = new ProcessBuilder(exe.toString(), "get").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(server.getBytes(StandardCharsets.UTF_8));
    }
    byte[] out = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new InvalidArgumentException(source + ": timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new InvalidArgumentException(source + ": interrupted");
    }
    String text = new String(out, StandardCharsets.UTF_8).trim();
    if (p.exitValue() != 0) {
      if (text.contains("credentials not found")) {
        LOG.debug("{} has no credentials for {}", program, server);
        return null;
      }
      // The helper's output is not echoed: it might contain a secret.
      throw new InvalidArgumentException(source + ": exited with status " + p.exitValue());
    }
    JsonNode reply;
    try {
      reply = Json.parseSensitive(out, JsonNode.class, source);
    } catch (IOException e) {
      throw new InvalidArgumentException(source + ": output is not the expected JSON");
    }
    String user = reply.path("Username").asText("");
    String secret = reply.path("Secret").asText("");
    if (user.isEmpty() && secret.isEmpty()) {
      return null;
    }
    return new Credentials(user, secret, source);
  }

  private static String hostOf(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? key : key.substring(0, slash);
  }

  private Path findOnPath(String program) {
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
