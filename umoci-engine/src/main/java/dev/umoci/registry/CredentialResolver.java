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
 * Finds the credentials for a registry, in this order: the explicit ones ({@code --creds}); the
 * auth file ({@code --authfile}, else {@code $REGISTRY_AUTH_FILE}: podman and skopeo's {@code
 * auth.json}); docker's {@code config.json} ({@code $DOCKER_CONFIG/config.json}, else {@code
 * ~/.docker/config.json}) with its {@code credHelpers}, {@code credsStore} and {@code auths}, as
 * docker reads them. A helper is the program {@code docker-credential-<name>} on {@code $PATH}, run
 * with {@code get} and the server address on its standard input.
 *
 * <p>Entries of an auth file may name a host, a URL ({@code https://host/v1/}) or a repository
 * below a host ({@code host/org/repo}); the longest match wins. Docker Hub is also found under
 * {@code index.docker.io} and {@code https://index.docker.io/v1/}.
 */
public final class CredentialResolver {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialResolver.class);
  private static final String HUB_SERVER = "https://index.docker.io/v1/";

  private final Credentials explicit;
  private final Path authFile;
  private final Map<String, String> env;

  /**
   * @param explicit credentials given on the command line, or null
   * @param authFile an explicit auth file, or null for {@code $REGISTRY_AUTH_FILE}
   * @param env the environment ({@code HOME}, {@code DOCKER_CONFIG}, {@code REGISTRY_AUTH_FILE},
   *     {@code PATH})
   */
  public CredentialResolver(Credentials explicit, Path authFile, Map<String, String> env) {
    this.explicit = explicit;
    this.authFile = authFile;
    this.env = Map.copyOf(env);
  }

  /** What was found (or null) and a description of the sources looked at, for error messages. */
  public record Lookup(Credentials credentials, String tried) {}

  /** The credentials for {@code registry} (the name as in a reference, e.g. {@code docker.io}). */
  public Lookup resolve(String registry, String repository) throws IOException {
    List<String> tried = new ArrayList<>();
    if (explicit != null) {
      return new Lookup(explicit, explicit.source());
    }
    Path auth = authFile;
    String authLabel = "--authfile " + authFile;
    if (auth == null && env.get("REGISTRY_AUTH_FILE") != null) {
      auth = Path.of(env.get("REGISTRY_AUTH_FILE"));
      authLabel = "$REGISTRY_AUTH_FILE " + auth;
    }
    if (auth != null) {
      tried.add(authLabel);
      if (!Files.isRegularFile(auth)) {
        if (authFile != null) {
          throw new InvalidArgumentException("auth file " + auth + " does not exist");
        }
      } else {
        Credentials c = fromConfig(auth, registry, repository, authLabel);
        if (c != null) {
          return new Lookup(c, c.source());
        }
      }
    }
    Path dockerConfig = dockerConfig();
    if (dockerConfig != null) {
      tried.add(dockerConfig.toString());
      if (Files.isRegularFile(dockerConfig)) {
        Credentials c = fromConfig(dockerConfig, registry, repository, dockerConfig.toString());
        if (c != null) {
          return new Lookup(c, c.source());
        }
      }
    }
    return new Lookup(null, "no credentials found (looked in " + String.join(", ", tried) + ")");
  }

  private Path dockerConfig() {
    if (env.get("DOCKER_CONFIG") != null) {
      return Path.of(env.get("DOCKER_CONFIG"), "config.json");
    }
    String home = env.get("HOME");
    return home == null ? null : Path.of(home, ".docker", "config.json");
  }

  private Credentials fromConfig(Path file, String registry, String repository, String label)
      throws IOException {
    JsonNode root;
    try {
      root = Json.parseSensitive(Files.readAllBytes(file), JsonNode.class, file.toString());
    } catch (IOException e) {
      throw new InvalidArgumentException(
          "cannot read credentials from " + label + ": " + e.getMessage());
    }
    List<String> keys = candidateKeys(registry, repository);
    JsonNode helpers = root.path("credHelpers");
    for (String key : keys) {
      if (helpers.hasNonNull(key)) {
        return fromHelper(helpers.get(key).asText(), key, label);
      }
    }
    JsonNode auths = root.path("auths");
    // auth.json may name repositories; docker's config.json names hosts and URLs.
    var fields = auths.fields();
    String bestKey = null;
    JsonNode best = null;
    while (fields.hasNext()) {
      var e = fields.next();
      String normalized = normalizeKey(e.getKey());
      for (String key : keys) {
        if (normalized.equals(key) && (bestKey == null || key.length() > bestKey.length())) {
          bestKey = key;
          best = e.getValue();
        }
      }
    }
    if (best != null && best.hasNonNull("auth") && !best.get("auth").asText().isEmpty()) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(best.get("auth").asText()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException(
            label + ": entry \"" + bestKey + "\": \"auth\" is not valid base64");
      }
      return Credentials.parse(decoded, label + " (auths \"" + bestKey + "\")");
    }
    if (best != null && best.hasNonNull("identitytoken")) {
      return new Credentials(
          Credentials.IDENTITY_TOKEN_USER,
          best.get("identitytoken").asText(),
          label + " (identity token for \"" + bestKey + "\")");
    }
    if (root.hasNonNull("credsStore")) {
      return fromHelper(root.get("credsStore").asText(), registry, label);
    }
    return null;
  }

  /** Most specific first: host/repo/..., host; Docker Hub's aliases for docker.io. */
  static List<String> candidateKeys(String registry, String repository) {
    List<String> hosts =
        registry.equals(Reference.DOCKER_HUB)
            ? List.of("docker.io", "index.docker.io", "registry-1.docker.io")
            : List.of(registry);
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

  /** {@code https://host/v1/} → {@code host}; {@code host/org/repo} stays. */
  static String normalizeKey(String key) {
    String k = key;
    boolean url = false;
    if (k.startsWith("https://")) {
      k = k.substring(8);
      url = true;
    } else if (k.startsWith("http://")) {
      k = k.substring(7);
      url = true;
    }
    if (url) {
      int slash = k.indexOf('/');
      if (slash >= 0) {
        k = k.substring(0, slash);
      }
    }
    while (k.endsWith("/")) {
      k = k.substring(0, k.length() - 1);
    }
    return k;
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
