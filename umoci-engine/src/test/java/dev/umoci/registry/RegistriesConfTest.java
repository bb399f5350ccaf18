package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
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
                    true))),
        m);
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
  }
}
