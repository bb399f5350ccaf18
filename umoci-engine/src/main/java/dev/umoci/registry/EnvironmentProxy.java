package dev.umoci.registry;

import dev.umoci.errors.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxies of the environment, decided as Go's {@code httpproxy.FromEnvironment} (which skopeo
 * uses) decides them: {@code HTTPS_PROXY}/{@code https_proxy} for https URLs, {@code
 * HTTP_PROXY}/{@code http_proxy} for http URLs (the upper-case name first; {@code HTTP_PROXY} is
 * ignored in a CGI environment, with {@code REQUEST_METHOD} set), none for {@code localhost} and
 * loopback addresses, none for hosts {@code NO_PROXY}/{@code no_proxy} names. A {@code NO_PROXY}
 * entry is {@code *} (everything), an IP address or CIDR block, or a domain that matches itself and
 * its subdomains ({@code example.com}, or with a leading {@code .} or {@code *.} only its
 * subdomains), each optionally with {@code :port}. A proxy value without a scheme is taken as
 * {@code http://}; only http proxies are supported (the JDK client cannot speak TLS or SOCKS to a
 * proxy); without a port, 80. Host names are never resolved here.
 *
 * <p>A proxy URL may carry {@code user:password}: they go to that proxy as Basic {@code
 * Proxy-Authorization} with every request through it ({@link #authorization}), as Go sends them (a
 * JDK {@code Authenticator} would also take over the registries' own {@code 401} answers).
 * Descriptions of a proxy ({@link #describe}) never include the password.
 */
final class EnvironmentProxy extends ProxySelector {
  private static final List<Proxy> DIRECT = List.of(Proxy.NO_PROXY);

  /** One proxy: where it is, how it is named in messages, its credentials or null. */
  private record Entry(Proxy proxy, String label, PasswordAuthentication credentials) {}

  private final Entry https;
  private final Entry http;
  private final NoProxy noProxy;

  private EnvironmentProxy(Entry https, Entry http, NoProxy noProxy) {
    this.https = https;
    this.http = http;
    this.noProxy = noProxy;
  }

  /** Whether {@code env} sets a proxy variable (then {@link #from} has work to do). */
  static boolean isSet(Map<String, String> env) {
    return get(env, "HTTPS_PROXY", "https_proxy") != null
        || get(env, "HTTP_PROXY", "http_proxy") != null;
  }

  /** The proxies of {@code env}; a value that is no proxy URL is a one-line error naming it. */
  static EnvironmentProxy from(Map<String, String> env) throws InvalidArgumentException {
    boolean cgi = env.get("REQUEST_METHOD") != null;
    EnvironmentProxy p =
        new EnvironmentProxy(
            entry(env, "HTTPS_PROXY", "https_proxy"),
            cgi ? entry(env, null, "http_proxy") : entry(env, "HTTP_PROXY", "http_proxy"),
            NoProxy.parse(get(env, "NO_PROXY", "no_proxy")));
    if (p.hasCredentials()) {
      allowBasicForProxyTunnels();
    }
    return p;
  }

  /**
   * Routes {@code b}'s requests as this selector decides (the credentials go into each request:
   * {@link #authorization}).
   */
  void applyTo(java.net.http.HttpClient.Builder b) {
    b.proxy(this);
  }

  /**
   * Lets the JDK client answer an HTTPS tunnel's ({@code CONNECT}) {@code 407} with Basic
   * credentials, which it refuses by default ({@code jdk.http.auth.tunneling.disabledSchemes=Basic}
   * in the JDK's {@code net.properties}): the credentials are those the user put into the proxy URL
   * for that purpose, and skopeo (Go) sends them the same way. A value given with {@code -D} (for
   * example {@code UMOCI_JAVA_OPTS=-Djdk.http.auth.tunneling.disabledSchemes=Basic}) wins. The JDK
   * reads the property once, when its client's code is first loaded, so {@link #from} calls this,
   * before the first client is built (the CLI builds none earlier).
   */
  private static void allowBasicForProxyTunnels() {
    if (System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
      System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
    }
  }

  private static String get(Map<String, String> env, String upper, String lower) {
    String v = upper == null ? null : env.get(upper);
    if (v == null || v.isEmpty()) {
      v = env.get(lower);
    }
    return v == null || v.isEmpty() ? null : v;
  }

  private static Entry entry(Map<String, String> env, String upper, String lower)
      throws InvalidArgumentException {
    String value = get(env, upper, lower);
    if (value == null) {
      return null;
    }
    String variable = upper != null && value.equals(env.get(upper)) ? upper : lower;
    URI uri;
    try {
      uri = new URI(value);
      if (uri.getScheme() == null || uri.getRawAuthority() == null) {
        uri = new URI("http://" + value);
      }
    } catch (URISyntaxException e) {
      try {
        uri = new URI("http://" + value);
      } catch (URISyntaxException again) {
        throw new InvalidArgumentException(
            "$" + variable + ": invalid proxy address \"" + withoutPassword(value) + "\"");
      }
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http")) {
      throw new InvalidArgumentException(
          "$"
              + variable
              + ": proxy scheme "
              + scheme
              + ":// is not supported (only http:// proxies)");
    }
    String host = uri.getHost();
    if (host == null) {
      throw new InvalidArgumentException(
          "$" + variable + ": invalid proxy address \"" + withoutPassword(value) + "\"");
    }
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    PasswordAuthentication credentials = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
      credentials = new PasswordAuthentication(user, password.toCharArray());
    }
    String hostPort = (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host);
    String label = "proxy http://" + hostPort + ":" + port + " from $" + variable;
    Proxy proxy =
        new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(unbracket(host), port));
    return new Entry(proxy, label, credentials);
  }

  /** {@code value} with the password of a {@code user:password@} part replaced by {@code ***}. */
  static String withoutPassword(String value) {
    int at = value.lastIndexOf('@');
    if (at < 0) {
      return value;
    }
    int start = value.indexOf("://");
    start = start < 0 ? 0 : start + 3;
    int colon = value.indexOf(':', start);
    return colon >= 0 && colon < at
        ? value.substring(0, colon + 1) + "***" + value.substring(at)
        : value;
  }

  private static String decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && s.substring(i + 1, i + 3).matches("[0-9a-fA-F]{2}")) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private Entry entryFor(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    Entry e = scheme.equals("https") ? https : scheme.equals("http") ? http : null;
    if (e == null || uri.getHost() == null) {
      return null;
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return useProxy(unbracket(uri.getHost()), port) ? e : null;
  }

  /** Whether a request to {@code host:port} goes through a proxy, as Go's {@code useProxy}. */
  boolean useProxy(String host, int port) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.equals("localhost")) {
      return false;
    }
    InetAddress ip = ipLiteral(h);
    if (ip != null && ip.isLoopbackAddress()) {
      return false;
    }
    return !noProxy.matches(h, port, ip);
  }

  @Override
  public List<Proxy> select(URI uri) {
    Entry e = entryFor(uri);
    return e == null ? DIRECT : List.of(e.proxy());
  }

  @Override
  public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
    // Go's transport has no fallback to a direct connection either.
  }

  /** How requests to {@code uri} travel: "proxy http://host:port from $VAR", or null if direct. */
  String describe(URI uri) {
    Entry e = entryFor(uri);
    return e == null ? null : e.label();
  }

  /** Whether a proxy URL carries credentials. */
  boolean hasCredentials() {
    return https != null && https.credentials() != null
        || http != null && http.credentials() != null;
  }

  /**
   * The {@code Proxy-Authorization} header for a request to {@code uri}: Basic with the credentials
   * of the proxy it goes through, or null (direct, or a proxy without credentials). Sent with the
   * first request, as Go sends it, not after a {@code 407}.
   */
  String authorization(URI uri) {
    Entry e = entryFor(uri);
    if (e == null || e.credentials() == null) {
      return null;
    }
    String userPass =
        e.credentials().getUserName() + ":" + new String(e.credentials().getPassword());
    return "Basic "
        + java.util.Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code host} as an IP address when it is an IP literal (never a DNS lookup), else null. */
  static InetAddress ipLiteral(String host) {
    String h = unbracket(host);
    boolean v4 = h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    boolean v6 = h.indexOf(':') >= 0 && h.matches("[0-9a-fA-F:.]+");
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(h);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The parsed {@code NO_PROXY} list. */
  private record NoProxy(boolean all, List<IpMatch> ips, List<DomainMatch> domains) {
    static NoProxy parse(String value) {
      List<IpMatch> ips = new ArrayList<>();
      List<DomainMatch> domains = new ArrayList<>();
      if (value == null) {
        return new NoProxy(false, ips, domains);
      }
      for (String raw : value.split(",")) {
        String p = raw.trim().toLowerCase(Locale.ROOT);
        if (p.isEmpty()) {
          continue;
        }
        if (p.equals("*")) {
          return new NoProxy(true, List.of(), List.of());
        }
        IpMatch cidr = IpMatch.cidr(p);
        if (cidr != null) {
          ips.add(cidr);
          continue;
        }
        String host = p;
        int port = -1;
        int colon = p.lastIndexOf(':');
        boolean bracketed = p.startsWith("[");
        if (colon > 0
            && (bracketed ? p.charAt(colon - 1) == ']' : p.indexOf(':') == colon)
            && p.substring(colon + 1).matches("[0-9]+")) {
          host = p.substring(0, colon);
          port = Integer.parseInt(p.substring(colon + 1));
        }
        host = unbracket(host);
        if (host.isEmpty()) {
          continue;
        }
        InetAddress ip = ipLiteral(host);
        if (ip != null) {
          ips.add(new IpMatch(ip, -1, port));
          continue;
        }
        if (host.startsWith("*.")) {
          host = host.substring(1);
        }
        boolean matchHost = false;
        if (!host.startsWith(".")) {
          matchHost = true;
          host = "." + host;
        }
        if (host.endsWith(".")) {
          host = host.substring(0, host.length() - 1);
        }
        domains.add(new DomainMatch(host, port, matchHost));
      }
      return new NoProxy(false, ips, domains);
    }

    boolean matches(String host, int port, InetAddress ip) {
      if (all) {
        return true;
      }
      if (ip != null) {
        for (IpMatch m : ips) {
          if (m.matches(ip, port)) {
            return true;
          }
        }
      }
      for (DomainMatch m : domains) {
        if (m.matches(host, port)) {
          return true;
        }
      }
      return false;
    }
  }

  /** An address ({@code bits} -1) with an optional port, or a CIDR block. */
  private record IpMatch(InetAddress ip, int bits, int port) {
    static IpMatch cidr(String p) {
      int slash = p.indexOf('/');
      if (slash < 0 || !p.substring(slash + 1).matches("[0-9]{1,3}")) {
        return null;
      }
      InetAddress ip = ipLiteral(p.substring(0, slash));
      int bits = Integer.parseInt(p.substring(slash + 1));
      if (ip == null || bits > ip.getAddress().length * 8) {
        return null;
      }
      return new IpMatch(ip, bits, -1);
    }

    boolean matches(InetAddress other, int otherPort) {
      if (bits < 0) {
        return ip.equals(other) && (port < 0 || port == otherPort);
      }
      byte[] a = ip.getAddress();
      byte[] b = other.getAddress();
      if (a.length != b.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  /** A domain suffix ({@code .example.com}), and the domain itself when {@code matchHost}. */
  private record DomainMatch(String suffix, int port, boolean matchHost) {
    boolean matches(String host, int otherPort) {
      if (host.endsWith(suffix) || matchHost && host.equals(suffix.substring(1))) {
        return port < 0 || port == otherPort;
      }
      return false;
    }
  }
}
