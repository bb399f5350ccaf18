package dev.umoci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.oci.spec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code Authorization} header for the requests of one registry: none until the registry
 * challenges; then Basic with the credentials found, or a Bearer token from the challenge's realm
 * (docker's token protocol: {@code GET realm?service=..&scope=..} with Basic credentials or
 * anonymously, or the OAuth2 refresh-token grant for an identity token). Tokens are kept per scope
 * until shortly before they expire. Secrets and tokens are never logged.
 */
final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  private static final Duration MARGIN = Duration.ofSeconds(10);

  private record Token(String value, Instant expires) {}

  private final String registry;
  private final CredentialResolver resolver;
  private final HttpClients.Owned client;
  private final HttpClient http;
  private final boolean sendCredentialsOverHttp;
  private final HttpResponse.BodyHandler<InputStream> bodies;
  private final Map<String, CredentialResolver.Lookup> lookups = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, Object> fetchLocks = new ConcurrentHashMap<>();
  private volatile AuthChallenge challenge;

  /**
   * @param sendCredentialsOverHttp false: credentials never go over plain HTTP ({@link
   *     RegistryOptions#sendCredentialsOverHttp()})
   * @param idle how long a token answer's body may stall ({@link RegistryOptions#idleTimeout()})
   */
  Authenticator(
      String registry,
      CredentialResolver resolver,
      HttpClients.Owned client,
      boolean sendCredentialsOverHttp,
      Duration idle) {
    this.registry = registry;
    this.resolver = resolver;
    this.client = client;
    this.http = client.http();
    this.sendCredentialsOverHttp = sendCredentialsOverHttp;
    this.bodies = BlobBody.handler(idle);
  }

  /** Remembers the challenge of an unauthenticated {@code /v2/} answer, if any. */
  void remember(List<AuthChallenge> challenges) {
    AuthChallenge chosen = choose(challenges);
    if (chosen != null) {
      challenge = chosen;
    }
  }

  /**
   * The header for a request to {@code target} in {@code scope}, or null while the registry has not
   * challenged.
   *
   * @throws CredentialsNotSentException when the header would carry credentials, or a token got
   *     with them, over plain HTTP and that is not allowed
   */
  String header(Scope scope, URI target) throws IOException {
    AuthChallenge c = challenge;
    if (c == null || scope == null) {
      return null;
    }
    Credentials creds = lookup(scope).credentials();
    if (creds != null && isPlainHttp(target)) {
      refuseOverHttp(
          scope, creds, "the registry " + target.getScheme() + "://" + target.getAuthority());
    }
    if (c.scheme().equals("basic")) {
      return creds == null ? null : creds.basicHeader();
    }
    Token t = tokens.get(scope.key());
    if (t == null || Instant.now().isAfter(t.expires())) {
      // One fetch per scope: parallel transfers wait for it and share the token.
      synchronized (fetchLocks.computeIfAbsent(scope.key(), k -> new Object())) {
        t = tokens.get(scope.key());
        if (t == null || Instant.now().isAfter(t.expires())) {
          t = fetchToken(c, scope);
          tokens.put(scope.key(), t);
        }
      }
    }
    return "Bearer " + t.value();
  }

  /**
   * Handles a 401 answer: takes its challenge, drops the token cached for {@code scope}. Returns
   * false when nothing changed that could make a retry succeed.
   */
  boolean challenged(List<AuthChallenge> challenges, Scope scope) {
    AuthChallenge chosen = choose(challenges);
    if (chosen == null || scope == null) {
      return false;
    }
    challenge = chosen;
    tokens.remove(scope.key());
    return true;
  }

  /** The error for a request the registry refused (401/403) although we authenticated. */
  RegistryAuthException refused(Scope scope, int status, String what, String detail)
      throws IOException {
    CredentialResolver.Lookup lookup = scope == null ? null : lookup(scope);
    String who =
        lookup == null || lookup.credentials() == null
            ? "anonymous access; " + (lookup == null ? "no credentials" : lookup.tried())
            : "credentials from " + lookup.credentials().source();
    String verdict = status == 403 ? "access denied" : "authentication failed";
    return new RegistryAuthException(
        RegistryException.where(registry, scope == null ? null : scope.repository())
            + what
            + ": "
            + verdict
            + " ("
            + status
            + (detail == null ? "" : " " + detail)
            + ") with "
            + who,
        status);
  }

  private static boolean isPlainHttp(URI uri) {
    return "http".equalsIgnoreCase(uri.getScheme());
  }

  private void refuseOverHttp(Scope scope, Credentials creds, String where)
      throws CredentialsNotSentException {
    if (!sendCredentialsOverHttp) {
      throw new CredentialsNotSentException(
          RegistryException.where(registry, scope.repository())
              + "credentials from "
              + creds.source()
              + " not sent: "
              + where
              + " speaks plain HTTP, which would expose them");
    }
  }

  private CredentialResolver.Lookup lookup(Scope scope) throws IOException {
    CredentialResolver.Lookup l = lookups.get(scope.repository());
    if (l == null) {
      l = resolver.resolve(registry, scope.repository());
      lookups.put(scope.repository(), l);
    }
    return l;
  }

  private static AuthChallenge choose(List<AuthChallenge> challenges) {
    AuthChallenge basic = null;
    for (AuthChallenge c : challenges) {
      if (c.scheme().equals("bearer") && c.param("realm") != null) {
        return c;
      }
      if (c.scheme().equals("basic")) {
        basic = c;
      }
    }
    return basic;
  }

  private Token fetchToken(AuthChallenge c, Scope scope) throws IOException {
    CredentialResolver.Lookup lookup = lookup(scope);
    Credentials creds = lookup.credentials();
    String realm = c.param("realm");
    String service = c.param("service");
    URI realmUri;
    try {
      realmUri = URI.create(realm);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(
          RegistryException.where(registry, scope.repository())
              + "malformed token realm in the registry's challenge",
          401);
    }
    if (creds != null && isPlainHttp(realmUri)) {
      refuseOverHttp(
          scope, creds, "token endpoint " + realmUri.getScheme() + "://" + realmUri.getAuthority());
    }
    HttpRequest.Builder request;
    if (creds != null && creds.isIdentityToken()) {
      StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=umoci-java");
      appendParam(form, "service", service);
      appendParam(form, "scope", String.join(" ", scope.tokenScopes()));
      appendParam(form, "refresh_token", creds.secret());
      request =
          HttpRequest.newBuilder(realmUri)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    } else {
      StringBuilder query = new StringBuilder();
      appendParam(query, "service", service);
      for (String s : scope.tokenScopes()) {
        appendParam(query, "scope", s);
      }
      String sep = realm.contains("?") ? "&" : "?";
      request = HttpRequest.newBuilder(URI.create(realm + sep + query.substring(1))).GET();
      if (creds != null) {
        request.header("Authorization", creds.basicHeader());
      }
    }
    request = client.withCommonHeaders(request, realmUri);
    request.timeout(Duration.ofSeconds(60));
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), bodies);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching a token");
    } catch (IOException e) {
      throw tokenEndpointFailed(scope, realmUri, e);
    }
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readNBytes(1 << 20);
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      throw tokenEndpointFailed(scope, realmUri, e);
    }
    int status = response.statusCode();
    String endpoint = "token endpoint " + realmUri.getScheme() + "://" + realmUri.getAuthority();
    if (status == 401 || status == 403) {
      throw refused(scope, status, endpoint, null);
    }
    if (status != 200) {
      throw new RegistryException(
          RegistryException.where(registry, scope.repository()) + endpoint + " answered " + status,
          status);
    }
    // The answer holds a token: a malformed one is reported by position, not by content.
    JsonNode json =
        Json.parseSensitive(
            body, JsonNode.class, RegistryException.where(registry, scope.repository()) + endpoint);
    String token = json.path("token").asText("");
    if (token.isEmpty()) {
      token = json.path("access_token").asText("");
    }
    if (token.isEmpty()) {
      throw new RegistryAuthException(
          RegistryException.where(registry, scope.repository()) + endpoint + " sent no token", 401);
    }
    long seconds = json.path("expires_in").asLong(60);
    if (seconds < 60) {
      seconds = 60; // the distribution spec's minimum lifetime
    }
    LOG.debug("registry {}: token for {} obtained ({}s)", registry, scope.key(), seconds);
    return new Token(token, Instant.now().plusSeconds(seconds).minus(MARGIN));
  }

  /** The token endpoint {@code realm} could not be reached, or its answer did not arrive whole. */
  private RegistryUnreachableException tokenEndpointFailed(Scope scope, URI realm, IOException e) {
    return new RegistryUnreachableException(
        RegistryException.where(registry, scope.repository())
            + "token endpoint "
            + realm.getScheme()
            + "://"
            + realm.getAuthority()
            + " unreachable: "
            + RegistryFailures.describe(e),
        true,
        e);
  }

  private static void appendParam(StringBuilder out, String name, String value) {
    if (value == null) {
      return;
    }
    out.append('&')
        .append(name)
        .append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }
}
