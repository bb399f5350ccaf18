package dev.umoci.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.umoci.oci.spec.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token endpoint for a {@link TestRegistry} with {@code auth: token}: on loopback, it checks
 * Basic credentials of one user and answers with a JWT (RS256, the signing certificate in {@code
 * x5c}) granting the requested scopes. Counts the tokens it issues.
 */
public final class TokenServer implements AutoCloseable {
  public static final String SERVICE = "test-registry";
  public static final String ISSUER = "test-issuer";

  private final HttpServer server;
  private final PrivateKey key;
  private final X509Certificate cert;
  private final String certPem;
  private final String user;
  private final String password;
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicInteger credentialed = new AtomicInteger();
  private final List<String> scopesAsked =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final java.util.Set<String> denied = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.Set<String> userAgents =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private TokenServer(Path dir, String user, String password) throws Exception {
    Files.createDirectories(dir);
    Path certFile = dir.resolve("token.crt");
    Path keyFile = dir.resolve("token.key");
    TestRegistry.selfSignedCertificate(certFile, keyFile);
    this.cert = TestRegistry.readCertificate(certFile);
    this.key = TestRegistry.readPrivateKey(keyFile);
    this.certPem = Files.readString(certFile);
    this.user = user;
    this.password = password;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::handle);
    server.start();
  }

  /** Starts a token endpoint for one user. */
  public static TokenServer start(Path dir, String user, String password) throws Exception {
    return new TokenServer(dir, user, password);
  }

  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  public String certificatePem() {
    return certPem;
  }

  /** The {@code User-Agent} headers of the token requests so far ("null" for none). */
  public java.util.Set<String> userAgents() {
    return java.util.Set.copyOf(userAgents);
  }

  /** Tokens issued so far. */
  public int issued() {
    return issued.get();
  }

  /**
   * From now on, tokens grant nothing on {@code repository}, whatever is asked (a registry then
   * answers 401 to any request that needs access to it, such as a mount from it).
   */
  public void deny(String repository) {
    denied.add(repository);
  }

  /** The scope parameters of every token request, in order. */
  public List<String> scopesAsked() {
    return List.copyOf(scopesAsked);
  }

  /** Requests that came with an {@code Authorization} header (credentials), so far. */
  public int credentialedRequests() {
    return credentialed.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      userAgents.add(String.valueOf(ex.getRequestHeaders().getFirst("User-Agent")));
      if (ex.getRequestHeaders().containsKey("Authorization")) {
        credentialed.incrementAndGet();
      }
      String expected =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(401, body.length);
        ex.getResponseBody().write(body);
        return;
      }
      List<String> scopes = new ArrayList<>();
      String query = ex.getRequestURI().getRawQuery();
      for (String pair : query == null ? new String[0] : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals("scope")) {
          scopes.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      scopesAsked.add(String.join(" ", scopes));
      String token = jwt(scopes);
      issued.incrementAndGet();
      byte[] body =
          ("{\"token\":\"" + token + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private String jwt(List<String> scopes) throws Exception {
    ObjectNode header = Json.mapper().createObjectNode();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    header.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
    long now = System.currentTimeMillis() / 1000;
    ObjectNode claims = Json.mapper().createObjectNode();
    claims.put("iss", ISSUER);
    claims.put("sub", user);
    claims.put("aud", SERVICE);
    claims.put("exp", now + 300);
    claims.put("nbf", now - 30);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    ArrayNode access = claims.putArray("access");
    for (String scope : scopes) {
      String[] parts = scope.split(":");
      if (parts.length != 3 || denied.contains(parts[1])) {
        continue;
      }
      ObjectNode entry = access.addObject();
      entry.put("type", parts[0]);
      entry.put("name", parts[1]);
      ArrayNode actions = entry.putArray("actions");
      for (String a : parts[2].split(",")) {
        actions.add(a);
      }
    }
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        b64.encodeToString(Json.toBytes(header)) + "." + b64.encodeToString(Json.toBytes(claims));
    Signature sig = Signature.getInstance("SHA256withRSA");
    sig.initSign(key);
    sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + b64.encodeToString(sig.sign());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
