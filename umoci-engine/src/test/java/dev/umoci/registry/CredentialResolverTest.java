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
  void explicitWinsThenAuthFileThenDockerConfig() throws Exception {
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
        "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
            + auth("hub:pw3")
            + "\"},"
            + "\"other.example\":{\"auth\":\""
            + auth("docker:pw4")
            + "\"}}}");
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
    assertEquals("hub", r.resolve("docker.io", "library/busybox").credentials().username());
    Credentials docker = r.resolve("other.example", "x").credentials();
    assertEquals("docker", docker.username());
    assertEquals(
        home.resolve(".docker/config.json") + " (auths \"other.example\")", docker.source());

    CredentialResolver.Lookup none = r.resolve("nowhere.example", "x");
    assertNull(none.credentials());
    assertEquals(
        "no credentials found (looked in $REGISTRY_AUTH_FILE "
            + authFile
            + ", "
            + home.resolve(".docker/config.json")
            + ")",
        none.tried());

    assertEquals(
        "auth file " + tmp.resolve("missing.json") + " does not exist",
        assertThrows(
                InvalidArgumentException.class,
                () ->
                    new CredentialResolver(null, tmp.resolve("missing.json"), env)
                        .resolve("a.b", "c"))
            .getMessage());
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
