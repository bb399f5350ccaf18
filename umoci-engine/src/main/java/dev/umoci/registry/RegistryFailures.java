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
import java.security.cert.CertificateException;
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
    SSLException tls = tlsFailure(e);
    if (tls != null) {
      TlsFailureException.Kind kind = tlsKind(tls);
      return new TlsFailureException(
          RegistryException.where(registry, repository)
              + what
              + ": TLS handshake failed: "
              + describeTls(tls, kind)
              + (proxy == null ? "" : " (through " + proxy + ")"),
          registry,
          kind,
          e);
    }
    boolean retryable = !isDns(e);
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
    if (e instanceof StalledTransferException) {
      return e.getMessage();
    }
    if (e instanceof HttpTimeoutException) {
      return "request timed out";
    }
    SSLException tls = tlsFailure(e);
    if (tls != null) {
      return "TLS handshake failed: " + describeTls(tls, tlsKind(tls));
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String m = e.getMessage();
    return "connection dropped" + (m == null ? "" : " (" + m.lines().findFirst().orElse("") + ")");
  }

  /** The TLS failure {@code e} is or directly wraps, or null. */
  private static SSLException tlsFailure(IOException e) {
    if (e instanceof SSLException s) {
      return s;
    }
    return e.getCause() instanceof SSLException s ? s : null;
  }

  /**
   * Why a handshake failed: a {@link CertificateException} below it is our trust manager refusing
   * the registry's certificate; a {@code certificate_required} or {@code bad_certificate} alert
   * (TLS 1.3 and 1.2 names, RFC 8446 section 6.2) is the registry refusing us without an acceptable
   * client certificate. The JDK has no exception type per alert, so its text is read.
   */
  private static TlsFailureException.Kind tlsKind(SSLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException) {
        return TlsFailureException.Kind.UNTRUSTED_CERTIFICATE;
      }
    }
    String m = String.valueOf(e.getMessage());
    if (m.contains("certificate_required") || m.contains("bad_certificate")) {
      return TlsFailureException.Kind.CLIENT_CERTIFICATE;
    }
    return TlsFailureException.Kind.OTHER;
  }

  /**
   * One line: what failed, and the JDK's reason kept short: the innermost message (of "PKIX path
   * building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find
   * valid certification path to requested target" the cause's "unable to find ..."), without class
   * names in front.
   */
  private static String describeTls(SSLException e, TlsFailureException.Kind kind) {
    Throwable inner = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        inner = t;
      }
    }
    String reason = String.valueOf(inner.getMessage()).lines().findFirst().orElse("");
    int cut;
    while ((cut = classPrefixEnd(reason)) > 0) {
      reason = reason.substring(cut);
    }
    return switch (kind) {
      case UNTRUSTED_CERTIFICATE -> "the registry's certificate is not trusted (" + reason + ")";
      case CLIENT_CERTIFICATE ->
          "the registry wants a client certificate and got none it accepts (" + reason + ")";
      case OTHER -> reason;
    };
  }

  /** The end of a leading {@code some.package.ClassName: } in {@code s}, or 0. */
  private static int classPrefixEnd(String s) {
    int colon = s.indexOf(": ");
    if (colon <= 0) {
      return 0;
    }
    String head = s.substring(0, colon);
    return head.contains(" ") || !head.contains(".") ? 0 : colon + 2;
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
