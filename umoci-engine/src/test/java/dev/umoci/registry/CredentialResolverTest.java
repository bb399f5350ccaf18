package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialResolverTest {
  @TempDir Path tmp;

  private static String auth(String userPass) {
    return Base64.getEncoder().encodeToString(userPass.getBytes());
  }

  @Test
  void explicitWinsThenTheAuthFileAloneAsSkopeo() throws Exception {
    Path authFile = tmp.resolve("auth.json");
    Files.writeString(
        authFile,
        "{\"auths\":{\"reg.example:5000\":{\"auth\":\""
            + auth("fromfile:pw1")
            + "\"},"
            + "\"reg.example:5000/team/app\":{\"auth\":\""
            + auth("repo:pw2")
            + "\"}}}");
    Path home = tmp.resolve("home");
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"other.example\":{\"auth\":\"" + auth("docker:pw4") + "\"}}}");
    Map<String, String> env =
        Map.of("HOME", home.toString(), "REGISTRY_AUTH_FILE", authFile.toString());

    Credentials explicit = new Credentials("cli", "x", "--creds");
    assertEquals(
        explicit,
        new CredentialResolver(explicit, null, env).resolve("reg.example:5000", "a").credentials());

    CredentialResolver r = new CredentialResolver(null, null, env);
    assertEquals("fromfile", r.resolve("reg.example:5000", "other/app").credentials().username());
    assertEquals(
        "repo",
        r.resolve("reg.example:5000", "team/app").credentials().username(),
        "longest match");
    // $REGISTRY_AUTH_FILE is skopeo's default --authfile: no other file is read.
    CredentialResolver.Lookup none = r.resolve("other.example", "x");
    assertNull(none.credentials());
    assertEquals(
        "no credentials found (looked in $REGISTRY_AUTH_FILE " + authFile + ")", none.tried());
    assertEquals(
        "docker",
        new CredentialResolver(null, null, Map.of("HOME", home.toString()))
            .resolve("other.example", "x")
            .credentials()
            .username());

    assertEquals(
        "auth file " + tmp.resolve("missing.json") + " does not exist",
        assertThrows(
                InvalidArgumentException.class,
                () ->
                    new CredentialResolver(null, tmp.resolve("missing.json"), env)
                        .resolve("a.b", "c"))
            .getMessage());
  }

  /**
   * Without an explicit file: $XDG_RUNTIME_DIR's auth.json, $XDG_CONFIG_HOME's (else ~/.config's),
   * docker's config.json, then ~/.dockercfg; the first file with an entry wins.
   */
  @Test
  void defaultFilesAreReadInSkopeosOrder() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path run = Files.createDirectories(tmp.resolve("run/containers"));
    Path xdgConfig = Files.createDirectories(tmp.resolve("xdg-config/containers"));
    Files.createDirectories(home.resolve(".config/containers"));
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(
        run.resolve("auth.json"),
        "{\"auths\":{\"one.example\":{\"auth\":\"" + auth("runtime:a") + "\"}}}");
    Files.writeString(
        xdgConfig.resolve("auth.json"),
        "{\"auths\":{\"one.example\":{\"auth\":\""
            + auth("xdg-config:b")
            + "\"},\"two.example/team\":{\"auth\":\""
            + auth("xdg-config:c")
            + "\"}}}");
    Files.writeString(
        home.resolve(".config/containers/auth.json"),
        "{\"auths\":{\"two.example\":{\"auth\":\"" + auth("home-config:d") + "\"}}}");
    Files.writeString(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
            + auth("hub:e")
            + "\"},\"three.example\":{}}}");
    Files.writeString(
        home.resolve(".dockercfg"),
        "{\"https://three.example/v1/\":{\"auth\":\""
            + auth("legacy:f\0")
            + "\",\"email\":\"x@y\"}}");
    Map<String, String> all =
        Map.of(
            "HOME", home.toString(),
            "XDG_RUNTIME_DIR", tmp.resolve("run").toString(),
            "XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
    CredentialResolver r = new CredentialResolver(null, null, all);
    Credentials one = r.resolve("one.example", "app").credentials();
    assertEquals("runtime", one.username());
    assertEquals(run.resolve("auth.json") + " (auths \"one.example\")", one.source());
    assertEquals("xdg-config", r.resolve("two.example", "team/app").credentials().username());
    assertNull(r.resolve("two.example", "other/app").credentials(), "~/.config is not read");
    assertEquals("hub", r.resolve("docker.io", "library/busybox").credentials().username());
    Credentials legacy = r.resolve("three.example", "x").credentials();
    assertEquals("legacy", legacy.username());
    assertEquals("f", legacy.secret(), "NULs trimmed as containers-image trims them");
    assertEquals(
        "no credentials found (looked in "
            + run.resolve("auth.json")
            + ", "
            + xdgConfig.resolve("auth.json")
            + ", "
            + home.resolve(".docker/config.json")
            + ", "
            + home.resolve(".dockercfg")
            + ")",
        r.resolve("nowhere.example", "x").tried());

    // Without XDG_CONFIG_HOME: ~/.config/containers/auth.json. A missing XDG_RUNTIME_DIR is
    // passed over.
    CredentialResolver homeOnly =
        new CredentialResolver(
            null,
            null,
            Map.of(
                "HOME", home.toString(), "XDG_RUNTIME_DIR", tmp.resolve("no-such-dir").toString()));
    assertEquals(
        "home-config", homeOnly.resolve("two.example", "other/app").credentials().username());
    assertEquals(
        "no credentials found (looked in "
            + home.resolve(".config/containers/auth.json")
            + ", "
            + home.resolve(".docker/config.json")
            + ", "
            + home.resolve(".dockercfg")
            + ")",
        homeOnly.resolve("nowhere.example", "x").tried());
  }

  @Test
  void anEntryWithoutUserAndPasswordIsPassedOver() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Files.createDirectories(home.resolve(".config/containers"));
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(
        home.resolve(".config/containers/auth.json"),
        "{\"auths\":{\"reg.example\":{\"auth\":\"" + auth("no-colon-here") + "\"}}}");
    Files.writeString(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"reg.example\":{\"auth\":\"" + auth("docker:pw") + "\"}}}");
    Credentials c =
        new CredentialResolver(null, null, Map.of("HOME", home.toString()))
            .resolve("reg.example", "app")
            .credentials();
    assertEquals("docker", c.username());
  }

  @Test
  void credentialHelpersAreRunAsDockerRunsThem() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path helper = bin.resolve("docker-credential-testhelper");
    Files.writeString(
        helper,
        "#!/bin/sh\n"
            + "[ \"$1\" = get ] || exit 2\n"
            + "read server\n"
            + "case \"$server\" in\n"
            + "  helped.example) echo '{\"ServerURL\":\"helped.example\",\"Username\":\"helper-user\",\"Secret\":\"helper-secret\"}' ;;\n"
            + "  *) echo 'credentials not found in native keychain'; exit 1 ;;\n"
            + "esac\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path config = tmp.resolve("dc");
    Files.createDirectories(config);
    Files.writeString(
        config.resolve("config.json"),
        "{\"credHelpers\":{\"helped.example\":\"testhelper\"},\"credsStore\":\"testhelper\"}");
    Map<String, String> env = Map.of("DOCKER_CONFIG", config.toString(), "PATH", bin.toString());
    CredentialResolver r = new CredentialResolver(null, null, env);

    Credentials c = r.resolve("helped.example", "app").credentials();
    assertEquals("helper-user", c.username());
    assertEquals("helper-secret", c.secret());
    assertTrue(c.source().startsWith("credential helper docker-credential-testhelper"), c.source());
    assertNull(r.resolve("unknown.example", "app").credentials(), "the store has nothing for it");

    CredentialResolver missing =
        new CredentialResolver(
            null, null, Map.of("DOCKER_CONFIG", config.toString(), "PATH", tmp.toString()));
    assertTrue(
        assertThrows(InvalidArgumentException.class, () -> missing.resolve("helped.example", "app"))
            .getMessage()
            .endsWith("docker-credential-testhelper not found on $PATH"));
  }

  /**
   * A malformed auth file is reported by position: the parser's own message quotes the token it
   * could not read, here an unquoted {@code auth} value, the base64 of user and password.
   */
  @Test
  void aMalformedAuthFileIsReportedWithoutItsContent() throws Exception {
    String secret = auth("bob:hunter2pw").replace("=", "");
    Path authFile =
        Files.writeString(
            tmp.resolve("bad.json"), "{\"auths\":{\"reg.example\":{\"auth\":" + secret + "}}}");
    String message =
        assertThrows(
                InvalidArgumentException.class,
                () -> new CredentialResolver(null, authFile, Map.of()).resolve("reg.example", "a"))
            .getMessage();
    assertEquals(
        "cannot read credentials from --authfile "
            + authFile
            + ": "
            + authFile
            + ": malformed JSON at line 1, column 52",
        message);
    assertTrue(!message.contains(secret.substring(0, 8)), message);
  }
}
