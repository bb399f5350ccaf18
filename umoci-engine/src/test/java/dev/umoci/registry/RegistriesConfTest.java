package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.Digest;
import dev.umoci.testing.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading containers' {@code registries.conf} for its mirrors ({@link RegistriesConf}). */
class RegistriesConfTest {
  @TempDir Path tmp;

  private Mirrors load(String text) throws Exception {
    Path f = tmp.resolve("registries.conf");
    Files.writeString(f, text);
    return mirrors(Map.of(RegistriesConf.ENV, f.toString()));
  }

  /** The mirrors the files for {@code env} configure, or null when they configure none. */
  private static Mirrors mirrors(Map<String, String> env) throws Exception {
    RegistriesConf.Config c = RegistriesConf.read(env);
    return c == null ? null : c.mirrors();
  }

  @Test
  void readsRegistryTablesWithMirrorsAndIgnoresTheRest() throws Exception {
    Mirrors m =
        load(
            """
            unqualified-search-registries = ["docker.io", "quay.io"]
            short-name-mode = "enforcing"

            [aliases]
            "fedora" = "registry.fedoraproject.org/fedora"

            [[registry]]
            prefix = "docker.io"
            insecure = false
            blocked = false
            mirror-by-digest-only = true

            [[registry.mirror]]
            location = "artifactory.corp/docker-remote"

            [[registry.mirror]]
            location = "mirror.local:5000"
            insecure = true

            [[registry]]
            location = "quay.io"

            [[registry]]
            prefix = "*.example.com"
            [[registry.mirror]]
            location = "m.example.org"
            """);
    assertEquals(
        new Mirrors(
            List.of(
                new Mirrors.Entry(
                    "docker.io",
                    List.of(
                        new Mirrors.Endpoint("artifactory.corp/docker-remote", false, null),
                        new Mirrors.Endpoint("mirror.local:5000", true, null)),
                    true),
                // kept: a table without mirrors still hides the tables of shorter prefixes
                new Mirrors.Entry("quay.io", List.of(), false),
                new Mirrors.Entry(
                    "*.example.com",
                    List.of(new Mirrors.Endpoint("m.example.org", false, null)),
                    false))),
        m);
  }

  private RegistriesConf.Config config(String text) throws Exception {
    Path f = tmp.resolve("registries.conf");
    Files.writeString(f, text);
    return RegistriesConf.read(Map.of(RegistriesConf.ENV, f.toString()));
  }

  private static final RegistryOptions OPTIONS =
      RegistryOptions.builder().environment(Map.of()).build();

  private static List<String> sources(Mirrors m, String ref) throws Exception {
    return m.sourcesFor(Reference.parse(ref), OPTIONS).stream()
        .map(s -> s.reference().toString())
        .toList();
  }

  /**
   * {@code *.domain} matches the hosts below the domain (any depth, any port), not the domain; of
   * the matching tables the longest prefix applies, at equal length the one that sorts first (the
   * wildcard before a host), as containers-image picks; for mirrors, insecure and blocked alike.
   */
  @Test
  void wildcardPrefixesMatchSubdomainsWithContainersImagePrecedence() throws Exception {
    RegistriesConf.Config c =
        config(
            """
            [[registry]]
            prefix = "a.example.com"
            [[registry]]
            prefix = "*.example.com"
            insecure = true
            [[registry.mirror]]
            location = "m.corp/cache"
            [[registry]]
            prefix = "*.b.example.com"
            blocked = true
            [[registry]]
            prefix = "c.example.com/app"
            [[registry.mirror]]
            location = "c.corp"
            """);
    Mirrors m = c.mirrors();
    assertEquals(List.of("m.corp/cache/app:1"), sources(m, "x.example.com/app:1"));
    assertEquals(List.of("m.corp/cache/y/app:1"), sources(m, "x.y.example.com/y/app:1"));
    assertEquals(
        List.of("m.corp/cache/app:1"),
        sources(m, "x.example.com.example.com/app:1"),
        "the domain also inside the host");
    assertTrue(c.ruleFor(Reference.parse("x.y.example.com/app")).insecure());
    assertEquals("*.example.com", c.ruleFor(Reference.parse("a.example.com/app")).prefix());
    assertEquals(
        List.of("m.corp/cache/app:1"), sources(m, "a.example.com/app:1"), "tie: '*' first");
    assertEquals("*.b.example.com", c.ruleFor(Reference.parse("a.b.example.com/app")).prefix());
    assertTrue(c.ruleFor(Reference.parse("a.b.example.com/app")).blocked());
    assertEquals(List.of("c.corp/x:1"), sources(m, "c.example.com/app/x:1"), "longer prefix");
    assertEquals(List.of("m.corp/cache/apps:1"), sources(m, "c.example.com/apps:1"));
    for (String none : List.of("example.com/app", "a.example.community/app", "b.example.org/x")) {
      assertNull(c.ruleFor(Reference.parse(none)), none);
      assertEquals(List.of(), sources(m, none), none);
    }
    InvalidArgumentException port =
        assertThrows(InvalidArgumentException.class, () -> sources(m, "x.example.com:5000/app"));
    assertEquals(
        "docker://x.example.com:5000/app: registries.conf maps it to \"m.corp/cache:5000/app\""
            + " (prefix *.example.com, location m.corp/cache), not an image name",
        port.getMessage());
    // without a path, the matched host's port carries over to the mirror, as in containers-image
    Mirrors plain =
        new Mirrors(
            List.of(
                new Mirrors.Entry(
                    "*.example.com", List.of(new Mirrors.Endpoint("m.corp", false, null)), false)));
    assertEquals(List.of("m.corp:5000/app:1"), sources(plain, "x.example.com:5000/app:1"));
  }

  /**
   * A {@code location} other than the prefix is where the registry itself is pulled from, the rest
   * of the name kept (for a wildcard too), with that host's credentials and certificates.
   */
  @Test
  void aLocationRedirectsTheNamespaceOfItsPrefix() throws Exception {
    RegistriesConf.Config c =
        config(
            """
            [[registry]]
            prefix = "example.com/foo"
            location = "internal.corp/bar"
            [[registry.mirror]]
            location = "m.corp"
            [[registry]]
            location = "quay.io"
            [[registry]]
            prefix = "*.sub.example.io"
            location = "example.com"
            [[registry]]
            prefix = "same.corp"
            location = "same.corp/inner"
            """);
    Mirrors m = c.mirrors();
    RegistryOptions origin =
        RegistryOptions.builder()
            .environment(Map.of())
            .credentials(new Credentials("u", "p", "test"))
            .certDir(tmp)
            .build();
    Reference ref = Reference.parse("example.com/foo/x:t");
    Mirrors.Source at = m.locationFor(ref, origin);
    assertEquals("internal.corp/bar/x:t", at.reference().toString());
    assertNull(at.options().credentials(), "the credentials of internal.corp, not example.com's");
    assertNull(at.options().certDir());
    assertNull(at.options().mirrors());
    assertEquals(List.of("m.corp/x:t"), sources(m, "example.com/foo/x:t"), "mirrors from prefix");
    assertTrue(m.redirects(Reference.parse("example.com/foo/y:t")));
    assertNull(m.locationFor(Reference.parse("example.com/foobar/x:t"), origin));
    assertFalse(m.redirects(Reference.parse("example.com/foobar/x:t")));
    assertNull(m.locationFor(Reference.parse("quay.io/a/b:1"), origin), "location = prefix");
    assertFalse(m.redirects(Reference.parse("quay.io/a/b:1")));
    assertEquals(
        "example.com:5000/library/image:latest",
        m.locationFor(Reference.parse("another.sub.example.io:5000/library/image:latest"), origin)
            .reference()
            .toString());
    Mirrors.Source same = m.locationFor(Reference.parse("same.corp/x:1"), origin);
    assertEquals("same.corp/inner/x:1", same.reference().toString());
    assertEquals(origin.credentials(), same.options().credentials(), "the same host");
    assertEquals(tmp, same.options().certDir());
  }

  /**
   * {@code pull-from-mirror} keeps a mirror to tags or to digests; containers-image refuses it
   * together with {@code mirror-by-digest-only} and on the registry itself.
   */
  @Test
  void pullFromMirrorChoosesTheReferencesAMirrorServes() throws Exception {
    Mirrors m =
        config(
                """
                [[registry]]
                prefix = "docker.io"
                [[registry.mirror]]
                location = "tags.corp"
                pull-from-mirror = "tag-only"
                [[registry.mirror]]
                location = "digests.corp"
                pull-from-mirror = "digest-only"
                [[registry.mirror]]
                location = "all.corp"
                pull-from-mirror = "all"
                [[registry.mirror]]
                location = "default.corp"
                """)
            .mirrors();
    assertEquals(
        List.of(
            "tags.corp/library/busybox:1",
            "all.corp/library/busybox:1",
            "default.corp/library/busybox:1"),
        sources(m, "busybox:1"));
    String d = "@" + Digest.sha256(new byte[0]);
    assertEquals(
        List.of(
            "digests.corp/library/busybox" + d,
            "all.corp/library/busybox" + d,
            "default.corp/library/busybox" + d),
        sources(m, "busybox" + d));
    Path f = tmp.resolve("registries.conf");
    for (String[] c :
        new String[][] {
          {
            "[[registry]]\nprefix = \"docker.io\"\n[[registry.mirror]]\nlocation = \"m.corp\"\n"
                + "pull-from-mirror = \"tags\"\n",
            "[[registry]] \"docker.io\" mirror \"m.corp\": pull-from-mirror \"tags\" is not all,"
                + " digest-only or tag-only"
          },
          {
            "[[registry]]\nprefix = \"docker.io\"\nmirror-by-digest-only = true\n"
                + "[[registry.mirror]]\nlocation = \"m.corp\"\npull-from-mirror = \"all\"\n",
            "[[registry]] \"docker.io\" mirror \"m.corp\": pull-from-mirror cannot be set when the"
                + " registry says mirror-by-digest-only"
          },
          {
            "[[registry]]\nprefix = \"docker.io\"\npull-from-mirror = \"all\"\n",
            "[[registry]] \"docker.io\": pull-from-mirror is for a [[registry.mirror]], not a"
                + " registry"
          },
          {
            "[[registry]]\nprefix = \"*.example.com/foo\"\n",
            "[[registry]] \"*.example.com/foo\": a wildcard prefix is *.domain (no port, path or"
                + " digest)"
          },
          {
            "[[registry]]\nprefix = \"*.example.com:5000\"\n",
            "[[registry]] \"*.example.com:5000\": a wildcard prefix is *.domain (no port, path or"
                + " digest)"
          },
          {
            "[[registry]]\nprefix = \"example.com/foo\"\nlocation = \"not a host/bar\"\n",
            "[[registry]] \"example.com/foo\": \"not a host/bar\" is not host[:port][/path]"
          },
        }) {
      Files.writeString(f, c[0]);
      InvalidArgumentException e =
          assertThrows(
              InvalidArgumentException.class,
              () -> RegistriesConf.read(Map.of(RegistriesConf.ENV, f.toString())),
              c[0]);
      assertTrue(e.getMessage().startsWith(f + ": " + c[1]), e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }

  @Test
  void aFileWithoutRegistryTablesIsNotParsedAndGivesNoMirrors() throws Exception {
    assertNull(load("# all comments\n# [[registry]]\n  # [[registry.mirror]]\nnot TOML = = =\n"));
    assertTrue(RegistriesConf.hasRegistryTable("a = 1\n  [[ registry ]]\n"));
    assertTrue(RegistriesConf.hasRegistryTable("[[registry]]"));
    Path debian = Path.of("/etc/containers/registries.conf");
    if (Files.exists(debian)) {
      assertFalse(RegistriesConf.hasRegistryTable(Files.readString(debian)), "Debian's default");
    }
    assertNull(load("[[registry]]\nprefix = \"quay.io\"\n"), "no mirrors");
  }

  @Test
  void malformedFilesAreOneLineErrorsNamingTheFile() throws Exception {
    Path f = tmp.resolve("registries.conf");
    for (String[] c :
        new String[][] {
          {"[[registry]]\nprefix = \"docker.io\n", "malformed TOML at line 2"},
          {
            "[[registry]]\nprefix = \"docker.io\"\nmirror-by-digest-only = \"yes\"\n",
            "[[registry]] \"docker.io\": mirror-by-digest-only must be true or false"
          },
          {
            "[[registry]]\nprefix = \"docker.io\"\n[[registry.mirror]]\ninsecure = true\n",
            "[[registry]] \"docker.io\": a mirror has no location"
          },
          {
            "[[registry]]\nprefix = \"docker.io\"\n[[registry.mirror]]\nlocation = \"no host\"\n",
            "\"no host\" is not host[:port][/path]"
          },
          {
            "[[registry]]\ninsecure = true\n",
            "a [[registry]] table has neither prefix nor location"
          },
          {"registry = 3\n[[registry", "malformed TOML"},
        }) {
      Files.writeString(f, c[0]);
      InvalidArgumentException e =
          assertThrows(
              InvalidArgumentException.class,
              () -> mirrors(Map.of(RegistriesConf.ENV, f.toString())),
              c[0]);
      assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
    Files.write(f, new byte[] {'[', '[', 'r', (byte) 0xff});
    InvalidArgumentException latin =
        assertThrows(
            InvalidArgumentException.class,
            () -> mirrors(Map.of(RegistriesConf.ENV, f.toString())));
    assertEquals(f + ": not UTF-8 text (TOML must be)", latin.getMessage());
    // and the CLI fails with it before anything is copied
    Files.writeString(f, "[[registry]]\nprefix = \"docker.io\n");
    CliRunner.Result r =
        CliRunner.runWithEnv(
            Map.of(RegistriesConf.ENV, f.toString()),
            "copy",
            "docker://docker.io/library/busybox:1",
            "oci:" + tmp.resolve("l") + ":1");
    assertEquals(1, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains(f + ": malformed TOML at line 2"), r.stderr());
    assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
    assertTrue(Files.notExists(tmp.resolve("l")));
  }

  /**
   * Without {@code CONTAINERS_REGISTRIES_CONF}: the user's file when it exists (with the user's
   * drop-ins), else the system's with its drop-ins and the user's; later tables for a prefix
   * replace earlier ones.
   */
  @Test
  void findsTheFilesAsSkopeoAndLetsDropInsReplaceTables() throws Exception {
    Path home = tmp.resolve("home");
    Path user = Files.createDirectories(home.resolve(".config/containers"));
    Path dropIns = Files.createDirectories(user.resolve("registries.conf.d"));
    Files.writeString(dropIns.resolve("b.conf"), "");
    Files.writeString(dropIns.resolve("a.conf"), "");
    Files.writeString(dropIns.resolve("ignored.txt"), "");
    Map<String, String> env = Map.of("HOME", home.toString());
    List<Path> files = RegistriesConf.files(env);
    assertEquals(Path.of("/etc/containers/registries.conf"), files.get(0));
    assertEquals(
        List.of(dropIns.resolve("a.conf"), dropIns.resolve("b.conf")),
        files.subList(files.size() - 2, files.size()));
    Files.writeString(
        user.resolve("registries.conf"),
        "[[registry]]\nprefix = \"docker.io\"\n[[registry.mirror]]\nlocation = \"a.corp\"\n");
    Files.writeString(
        dropIns.resolve("b.conf"),
        "[[registry]]\nprefix = \"docker.io\"\n[[registry.mirror]]\nlocation = \"b.corp\"\n");
    assertEquals(
        List.of(
            user.resolve("registries.conf"), dropIns.resolve("a.conf"), dropIns.resolve("b.conf")),
        RegistriesConf.files(env));
    assertEquals(
        List.of(new Mirrors.Endpoint("b.corp", false, null)),
        mirrors(env).entries().get(0).mirrors());
    // within one file, the first table for a prefix wins (as in containers-image)
    Files.writeString(
        dropIns.resolve("b.conf"),
        "[[registry]]\nprefix = \"docker.io\"\n[[registry.mirror]]\nlocation = \"b.corp\"\n"
            + "[[registry]]\nprefix = \"index.docker.io\"\n[[registry.mirror]]\n"
            + "location = \"c.corp\"\n");
    assertEquals(
        List.of(new Mirrors.Endpoint("b.corp", false, null)),
        mirrors(env).entries().get(0).mirrors());
  }
}
