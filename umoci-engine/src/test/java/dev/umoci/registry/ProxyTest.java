package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.Digest;
import dev.umoci.ops.Copy;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.TestProxy;
import dev.umoci.testing.TestRegistry;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxies from the environment, as Go's httpproxy decides them: the selector's decisions as a unit,
 * and real copies through a proxy written in the test ({@link TestProxy}) to registries named by
 * 192.0.2.1 (TEST-NET-1, never reached directly: the proxy forwards to the registry's loopback
 * port; loopback names are never proxied), or by a name only the copy's JVM resolves (to test that
 * {@code NO_PROXY} sends it around the proxy).
 */
class ProxyTest {
  /** Not routable: a request that skips the proxy fails (and the proxy records what it served). */
  private static final String FAR = "192.0.2.1";

  @TempDir Path tmp;

  private static String via(EnvironmentProxy p, String uri) {
    List<Proxy> l = p.select(URI.create(uri));
    assertEquals(1, l.size());
    return l.get(0).type() == Proxy.Type.DIRECT ? "direct" : l.get(0).address().toString();
  }

  @Test
  void schemesPickTheirVariableAndLoopbackIsNeverProxied() throws Exception {
    EnvironmentProxy p =
        EnvironmentProxy.from(
            Map.of("HTTPS_PROXY", "secure.proxy:3128", "http_proxy", "http://plain.proxy"));
    assertEquals("secure.proxy/<unresolved>:3128", via(p, "https://reg.example/v2/"));
    assertEquals("plain.proxy/<unresolved>:80", via(p, "http://reg.example:5000/v2/"));
    assertEquals("direct", via(p, "https://localhost:5000/v2/"));
    assertEquals("direct", via(p, "https://LOCALHOST./v2/"));
    assertEquals("direct", via(p, "https://127.0.0.1:5000/v2/"));
    assertEquals("direct", via(p, "https://127.8.9.10/v2/"));
    assertEquals("direct", via(p, "http://[::1]:5000/v2/"));
    assertEquals(
        "proxy http://secure.proxy:3128 from $HTTPS_PROXY", p.describe(URI.create("https://a.b/")));
    assertNull(p.describe(URI.create("https://localhost/")));

    EnvironmentProxy onlyHttp = EnvironmentProxy.from(Map.of("HTTP_PROXY", "http://p:1"));
    assertEquals("direct", via(onlyHttp, "https://reg.example/v2/"), "HTTP_PROXY is not for https");
    // Upper case wins; a CGI environment ignores HTTP_PROXY (Go's httpoxy guard).
    EnvironmentProxy both =
        EnvironmentProxy.from(Map.of("HTTP_PROXY", "http://upper:1", "http_proxy", "lower:2"));
    assertEquals("upper/<unresolved>:1", via(both, "http://r.example/"));
    EnvironmentProxy cgi =
        EnvironmentProxy.from(
            Map.of(
                "HTTP_PROXY", "http://upper:1", "http_proxy", "lower:2", "REQUEST_METHOD", "GET"));
    assertEquals("lower/<unresolved>:2", via(cgi, "http://r.example/"));
  }

  @Test
  void noProxyFormsAreMatchedAsGoMatchesThem() throws Exception {
    EnvironmentProxy p =
        EnvironmentProxy.from(
            Map.of(
                "HTTPS_PROXY",
                "http://proxy:3128",
                "NO_PROXY",
                " example.com, .suffix.org,*.star.net, exact.io:5000,10.0.0.0/8, 192.168.1.7,"
                    + "[2001:db8::1]:443 ,2001:db9::/32, ,"));
    assertEquals("direct", via(p, "https://example.com/"));
    assertEquals("direct", via(p, "https://reg.EXAMPLE.com/"));
    assertTrue(via(p, "https://notexample.com/").contains("proxy"));
    assertTrue(via(p, "https://suffix.org/").contains("proxy"), ".domain: subdomains only");
    assertEquals("direct", via(p, "https://a.suffix.org/"));
    assertTrue(via(p, "https://star.net/").contains("proxy"), "*.domain: subdomains only");
    assertEquals("direct", via(p, "https://x.star.net/"));
    assertEquals("direct", via(p, "https://exact.io:5000/"));
    assertTrue(via(p, "https://exact.io/").contains("proxy"), "port 443 is not 5000");
    assertEquals("direct", via(p, "https://10.20.30.40:5000/"));
    assertTrue(via(p, "https://11.0.0.1/").contains("proxy"));
    assertEquals("direct", via(p, "https://192.168.1.7:8443/"));
    assertEquals("direct", via(p, "https://[2001:db8::1]/"));
    assertTrue(via(p, "https://[2001:db8::1]:5000/").contains("proxy"));
    assertEquals("direct", via(p, "https://[2001:db9::42]:5000/"));

    EnvironmentProxy all =
        EnvironmentProxy.from(Map.of("https_proxy", "http://proxy:3128", "no_proxy", "*"));
    assertEquals("direct", via(all, "https://anything.example/"));
  }

  @Test
  void badProxyValuesAreOneLineErrorsWithoutThePassword() {
    assertEquals(
        "$HTTPS_PROXY: proxy scheme socks5:// is not supported (only http:// proxies)",
        assertThrows(
                InvalidArgumentException.class,
                () -> EnvironmentProxy.from(Map.of("HTTPS_PROXY", "socks5://u:pw@proxy:1080")))
            .getMessage());
    String m =
        assertThrows(
                InvalidArgumentException.class,
                () -> EnvironmentProxy.from(Map.of("http_proxy", "http://u:s3cret@pro xy:1")))
            .getMessage();
    assertEquals("$http_proxy: invalid proxy address \"http://u:***@pro xy:1\"", m);
  }

  /**
   * A pull through the proxy over plain HTTP (forward requests), with proxy credentials from the
   * URL (percent-encoded); wrong ones are a one-line error naming the proxy.
   */
  @Test
  void pullsThroughAForwardProxyWithCredentials() throws Exception {
    try (TestRegistry registry = TestRegistry.plain(tmp.resolve("reg"));
        TestProxy proxy = TestProxy.start(registryPort(registry), "pu", "p@ss:w")) {
      Path src = tmp.resolve("src");
      String arch = Copy.hostPlatform().architecture();
      Digest manifest = TestImages.image(src, "v1", arch, "proxied", 512);
      CliRunner.run(
              "copy",
              "--dest-tls-verify=false",
              "oci:" + src + ":v1",
              "docker://" + registry.host() + "/p/app:v1")
          .assertSuccess();
      assertEquals(List.of(), proxy.served(), "loopback is not proxied");

      String port = registry.host().substring(registry.host().lastIndexOf(':') + 1);
      Path dst = tmp.resolve("dst");
      CliRunner.runWithEnv(
              Map.of("HTTP_PROXY", "http://pu:p%40ss%3Aw@127.0.0.1:" + proxy.port()),
              "copy",
              "--src-tls-verify=false",
              "docker://" + FAR + ":" + port + "/p/app:v1",
              "oci:" + dst + ":v1")
          .assertSuccess();
      LayoutChecks.assertTag(dst, "v1", manifest);
      assertEquals(List.of(), proxy.refused(), "credentials go with the first request, as Go's");
      assertTrue(
          proxy.served().get(0).startsWith("GET http://" + FAR + ":" + port + "/v2/"),
          proxy.served().toString());

      CliRunner.Result wrong =
          CliRunner.runWithEnv(
              Map.of("http_proxy", "http://pu:nope@127.0.0.1:" + proxy.port()),
              "copy",
              "--src-tls-verify=false",
              "docker://" + FAR + ":" + port + "/p/app:v1",
              "oci:" + dst + ":again");
      assertEquals(
          "umoci: registry "
              + FAR
              + ":"
              + port
              + ": ping /v2/: proxy authentication failed (407) (through proxy http://127.0.0.1:"
              + proxy.port()
              + " from $http_proxy)\n",
          wrong.stderr());
    }
  }

  /**
   * HTTPS through a CONNECT tunnel with Basic proxy credentials (the JDK refuses Basic for tunnels
   * unless told otherwise), in a JVM of its own: the JDK reads that setting once per process.
   */
  @Test
  void pullsThroughAConnectTunnelWithBasicCredentials() throws Exception {
    try (TestRegistry registry =
            TestRegistry.tlsWithBasicAuth(
                tmp.resolve("reg"), RegistryAuthTest.USER, RegistryAuthTest.PASSWORD);
        TestProxy proxy = TestProxy.start(registryPort(registry), "pu", "pw")) {
      Path src = tmp.resolve("src");
      String arch = Copy.hostPlatform().architecture();
      Digest manifest = TestImages.image(src, "v1", arch, "tunnelled", 512);
      String creds = RegistryAuthTest.USER + ":" + RegistryAuthTest.PASSWORD;
      CliRunner.run(
              "copy",
              "--cert-dir",
              registry.certDir().toString(),
              "--dest-creds",
              creds,
              "oci:" + src + ":v1",
              "docker://" + registry.host() + "/t/app:v1")
          .assertSuccess();

      String port = registry.host().substring(registry.host().lastIndexOf(':') + 1);
      Path dst = tmp.resolve("dst");
      String proxyUrl = "http://pu:pw@127.0.0.1:" + proxy.port();
      Map<String, String> env = new HashMap<>();
      env.put("HTTPS_PROXY", proxyUrl);
      env.put("HTTP_PROXY", proxyUrl);
      ChildResult r =
          runInChildJvm(
              List.of(),
              env,
              "copy",
              "--src-tls-verify=false",
              "--src-creds",
              creds,
              "docker://" + FAR + ":" + port + "/t/app:v1",
              "oci:" + dst + ":v1");
      assertEquals(0, r.exit(), r.output());
      LayoutChecks.assertTag(dst, "v1", manifest);
      assertTrue(
          proxy.served().contains("CONNECT " + FAR + ":" + port + " HTTP/1.1"),
          proxy.served().toString());
      assertEquals(List.of(), proxy.refused(), "credentials go with the first CONNECT");
      assertFalse(r.output().contains("pw@"), r.output());
    }
  }

  /**
   * {@code NO_PROXY} end to end. The registry is named by a host name that only the copy's JVM
   * resolves, to 127.0.0.1, through a hosts file of its own ({@code jdk.net.hosts.file}): a name,
   * not a loopback address, so the proxy is used for it unless {@code NO_PROXY} says otherwise (the
   * proxy forwards every connection to the registry's port). With {@code HTTP_PROXY} alone the copy
   * goes through the proxy; with {@code NO_PROXY} naming the host (as the name, with its port, or
   * as a {@code .domain}) it reaches the registry directly and the proxy sees no request.
   */
  @Test
  void noProxyNamesARegistryThatIsThenReachedDirectly() throws Exception {
    String name = "registry.umoci.test";
    try (TestRegistry registry = TestRegistry.plain(tmp.resolve("reg"));
        TestProxy proxy = TestProxy.start(registryPort(registry), null, null)) {
      Path src = tmp.resolve("src");
      String arch = Copy.hostPlatform().architecture();
      Digest manifest = TestImages.image(src, "v1", arch, "no-proxy", 512);
      CliRunner.run(
              "copy",
              "--dest-tls-verify=false",
              "oci:" + src + ":v1",
              "docker://" + registry.host() + "/n/app:v1")
          .assertSuccess();
      Path hosts = tmp.resolve("hosts");
      Files.writeString(hosts, "127.0.0.1 localhost\n127.0.0.1 " + name + "\n");
      List<String> resolver = List.of("-Djdk.net.hosts.file=" + hosts);
      int port = registryPort(registry);
      String remote = "docker://" + name + ":" + port + "/n/app:v1";
      String proxyUrl = "http://127.0.0.1:" + proxy.port();
      Path dst = tmp.resolve("dst");

      ChildResult proxied =
          runInChildJvm(
              resolver,
              Map.of("HTTP_PROXY", proxyUrl),
              "copy",
              "--src-tls-verify=false",
              remote,
              "oci:" + dst + ":proxied");
      assertEquals(0, proxied.exit(), proxied.output());
      LayoutChecks.assertTag(dst, "proxied", manifest);
      assertTrue(
          proxy.served().get(0).startsWith("GET http://" + name + ":" + port + "/v2/"),
          proxy.served().toString());

      for (String noProxy : List.of(name, name + ":" + port, ".umoci.test")) {
        int before = proxy.served().size();
        ChildResult direct =
            runInChildJvm(
                resolver,
                Map.of("HTTP_PROXY", proxyUrl, "NO_PROXY", noProxy),
                "copy",
                "--src-tls-verify=false",
                remote,
                "oci:" + dst + ":direct");
        assertEquals(0, direct.exit(), direct.output());
        LayoutChecks.assertTag(dst, "direct", manifest);
        assertEquals(
            before,
            proxy.served().size(),
            "NO_PROXY=" + noProxy + ": the proxy sees no request " + proxy.served());
      }

      int before = proxy.served().size();
      ChildResult other =
          runInChildJvm(
              resolver,
              Map.of("HTTP_PROXY", proxyUrl, "no_proxy", "other.umoci.test," + name + ":1"),
              "copy",
              "--src-tls-verify=false",
              remote,
              "oci:" + dst + ":other");
      assertEquals(0, other.exit(), other.output());
      assertTrue(proxy.served().size() > before, "another host or port is still proxied");
    }
  }

  @Test
  void aProxyThatCannotBeReachedIsNamedInOneLine() throws Exception {
    int closed = TestRegistry.freePort();
    CliRunner.Result r =
        CliRunner.runWithEnv(
            Map.of("HTTPS_PROXY", "http://user:hidden@127.0.0.1:" + closed),
            "copy",
            "docker://" + FAR + ":5000/app:v1",
            "oci:" + tmp.resolve("dst") + ":v1");
    assertEquals(1, r.exitCode(), r.stderr());
    assertEquals(
        "umoci: registry "
            + FAR
            + ":5000: ping /v2/: connection refused (through proxy http://127.0.0.1:"
            + closed
            + " from $HTTPS_PROXY)\n",
        r.stderr());
    assertFalse(Files.exists(tmp.resolve("dst")));
  }

  private static int registryPort(TestRegistry r) {
    return Integer.parseInt(r.host().substring(r.host().lastIndexOf(':') + 1));
  }

  private record ChildResult(int exit, String output) {}

  /**
   * Runs the CLI's main class in a new JVM with this test's class path, {@code jvmArgs} and {@code
   * env}.
   */
  private static ChildResult runInChildJvm(
      List<String> jvmArgs, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("--add-opens");
    cmd.add("java.base/sun.nio.fs=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.umoci.cli.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not finish: " + out);
    }
    return new ChildResult(p.exitValue(), out);
  }
}
