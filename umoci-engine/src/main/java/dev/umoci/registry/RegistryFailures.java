package dev.umoci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.oci.spec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * Turns failed exchanges with a registry into the registry exception types, each one line naming
 * the registry, the repository and what failed: transport failures (DNS, refused, timed out, TLS,
 * dropped) and unexpected HTTP answers (by status and the distribution error code).
 */
final class RegistryFailures {
  private RegistryFailures() {}

  /** Maps a failed exchange to one line; DNS and TLS failures are not retryable. */
  static RegistryUnreachableException unreachable(
      String registry, String what, String repository, IOException e) {
    return unreachable(registry, what, repository, e, null);
  }

  /**
   * As {@link #unreachable(String, String, String, IOException)} for an exchange that went through
   * {@code proxy} (its description, or null for a direct one), which the line then names.
   */
  static RegistryUnreachableException unreachable(
      String registry, String what, String repository, IOException e, String proxy) {
    boolean retryable =
        !(isDns(e) || e instanceof SSLException || e.getCause() instanceof SSLException);
    return new RegistryUnreachableException(
        RegistryException.where(registry, repository)
            + what
            + ": "
            + describe(e)
            + (proxy == null ? "" : " (through " + proxy + ")"),
        retryable,
        e);
  }

  private static boolean isDns(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  /** A short description of a transport failure. */
  static String describe(IOException e) {
    if (isDns(e)) {
      return "cannot resolve host name";
    }
    if (e instanceof HttpConnectTimeoutException) {
      return "connection timed out";
    }
    if (e instanceof HttpTimeoutException) {
      return "request timed out";
    }
    if (e instanceof SSLException || e.getCause() instanceof SSLException) {
      Throwable t = e instanceof SSLException ? e : e.getCause();
      return "TLS handshake failed: " + t.getMessage();
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String m = e.getMessage();
    return "connection dropped" + (m == null ? "" : " (" + m.lines().findFirst().orElse("") + ")");
  }

  /** Reads (at most 64 KiB of) an error body and closes it. */
  static byte[] readError(HttpResponse<InputStream> r) throws IOException {
    try (InputStream in = r.body()) {
      return in.readNBytes(1 << 16);
    }
  }

  /** The first {@code errors[].code} of a distribution error body, or null. */
  static String errorCode(byte[] body) {
    try {
      JsonNode json = Json.parse(body, JsonNode.class, "error");
      JsonNode first = json.path("errors").path(0);
      String code = first.path("code").asText("");
      return code.isEmpty() ? null : code;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The error for an unexpected status, by kind: a 404 of a manifest request (or with code {@code
   * MANIFEST_UNKNOWN}/{@code NAME_UNKNOWN}) is a {@link ManifestUnknownException}; 415 and {@code
   * MANIFEST_INVALID} an {@link UnsupportedMediaTypeException}; anything else a {@link
   * RegistryException} with the status and the registry's error code. Reads and closes the body.
   */
  static RegistryException failure(
      String registry, HttpResponse<InputStream> r, String what, String repository)
      throws IOException {
    int s = r.statusCode();
    String code = errorCode(readError(r));
    String line =
        RegistryException.where(registry, repository)
            + what
            + ": "
            + (code == null ? "" : code + ", ")
            + "HTTP "
            + s;
    boolean manifestRequest = what.contains("manifest");
    if (s == 404
        && (code == null && manifestRequest
            || "MANIFEST_UNKNOWN".equals(code)
            || "NAME_UNKNOWN".equals(code))) {
      return new ManifestUnknownException(line, s);
    }
    if (s == 415 || (s == 400 && "MANIFEST_INVALID".equals(code))) {
      return new UnsupportedMediaTypeException(line);
    }
    return new RegistryException(line, s);
  }
}
