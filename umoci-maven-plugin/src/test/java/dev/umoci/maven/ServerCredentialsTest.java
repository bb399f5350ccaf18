package dev.umoci.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.registry.CredentialSource;
import dev.umoci.registry.CredentialSourceException;
import dev.umoci.registry.Credentials;
import dev.umoci.registry.Mirrors;
import dev.umoci.registry.Reference;
import dev.umoci.registry.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;
import org.sonatype.plexus.components.sec.dispatcher.DefaultSecDispatcher;

/**
 * {@link ServerCredentials} and {@link BaseImageSource}'s use of it, with Maven's own decrypter
 * ({@code DefaultSettingsDecrypter} over a {@code settings-security.xml} master password, as {@code
 * mvn --encrypt-master-password} and {@code --encrypt-password} make them).
 */
class ServerCredentialsTest {
  static final String HOST = "127.0.0.1:5000";

  @TempDir Path tmp;
  DefaultPlexusCipher cipher = new DefaultPlexusCipher();
  Path security;
  Settings settings = new Settings();

  @BeforeEach
  void masterPassword() throws Exception {
    security = tmp.resolve("settings-security.xml");
    Files.writeString(
        security,
        "<settingsSecurity><master>"
            + cipher.encryptAndDecorate("master-pw", "settings.security")
            + "</master></settingsSecurity>");
  }

  SettingsDecrypter decrypter(Path securityFile) {
    return new DefaultSettingsDecrypter(
        new DefaultSecDispatcher(cipher, Map.of(), securityFile.toString()));
  }

  Server server(String id, String user, String password) {
    Server s = new Server();
    s.setId(id);
    s.setUsername(user);
    s.setPassword(password);
    settings.addServer(s);
    return s;
  }

  @Test
  void theServerNamedAsTheRegistryHostGivesDecryptedCredentials() throws Exception {
    server("other.example", "nobody", "nothing");
    server(HOST, "builder", cipher.encryptAndDecorate("s3cret", "master-pw"));
    Credentials c = ServerCredentials.of(settings, decrypter(security), HOST).credentials();
    assertEquals("builder", c.username());
    assertEquals("s3cret", c.secret());
    assertEquals(
        "credentials of builder from settings.xml <server> \"" + HOST + "\"", c.toString());
  }

  @Test
  void aPlainPasswordIsTakenAsItIsAndAMissingOneIsEmpty() throws Exception {
    server(HOST, "builder", "plain");
    assertEquals(
        "plain", ServerCredentials.of(settings, decrypter(security), HOST).credentials().secret());
    Settings without = new Settings();
    settings = without;
    server(HOST, "builder", null);
    assertEquals(
        "", ServerCredentials.of(settings, decrypter(security), HOST).credentials().secret());
  }

  @Test
  void noServerOrNoUserNameMeansTheEngineLooksElsewhere() throws Exception {
    assertNull(ServerCredentials.of(settings, decrypter(security), HOST));
    assertNull(ServerCredentials.of(null, decrypter(security), HOST));
    server(HOST, null, "only-a-password");
    assertNull(ServerCredentials.of(settings, decrypter(security), HOST));
  }

  @Test
  void anUndecryptablePasswordFailsOnlyWhenAskedForNamingTheServer() throws Exception {
    server(HOST, "builder", cipher.encryptAndDecorate("s3cret", "master-pw"));
    AtomicInteger decryptions = new AtomicInteger();
    SettingsDecrypter missingMaster = decrypter(tmp.resolve("missing.xml"));
    SettingsDecrypter counting =
        request -> {
          decryptions.incrementAndGet();
          return missingMaster.decrypt(request);
        };
    CredentialSource source = ServerCredentials.of(settings, counting, HOST);
    assertEquals(0, decryptions.get(), "decrypted before the registry asked");
    CredentialSourceException e =
        assertThrows(CredentialSourceException.class, source::credentials);
    assertEquals(1, decryptions.get());
    assertTrue(
        e.getMessage()
            .startsWith("settings.xml <server> \"" + HOST + "\": cannot decrypt its password: "),
        e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void aRegistryBaseIsPulledWithItsServerCredentialsALayoutBaseWithNone() throws Exception {
    server(HOST, "builder", cipher.encryptAndDecorate("s3cret", "master-pw"));
    BaseImageSource registry =
        BaseImageSource.of(
            "docker://" + HOST + "/team/base:1",
            tmp,
            true,
            false,
            false,
            null,
            settings,
            decrypter(security),
            null);
    assertEquals("s3cret", registry.registry().credentials().credentials().secret());
    assertEquals(false, registry.registry().tlsVerify());
    assertEquals(false, registry.registry().sendCredentialsOverHttp(), "as Jib: not by default");
    assertTrue(
        registry.registry().userAgent().startsWith("umoci-maven-plugin/"),
        registry.registry().userAgent());

    BaseImageSource elsewhere = sourceWithDefaults("docker://registry.example/team/base:1");
    assertNull(elsewhere.registry().credentials());
    assertEquals(true, elsewhere.registry().tlsVerify());

    Path layout = Files.createDirectories(tmp.resolve("layout"));
    BaseImageSource local = sourceWithDefaults("oci:" + layout + ":1");
    assertNull(local.registry().credentials());
  }

  /** The base image source of {@code image} with the settings' servers and no other options. */
  private BaseImageSource sourceWithDefaults(String image) throws Exception {
    return BaseImageSource.of(
        image, tmp, false, false, false, null, settings, decrypter(security), null);
  }

  /**
   * A user name and password given to the goal win over the registry's settings.xml server, for the
   * base's registry and not its mirrors; one without the other fails the build naming both
   * parameters and never showing the password.
   */
  @Test
  void theGoalsUserAndPasswordWinOverTheServerAndComeInPairs() throws Exception {
    server(HOST, "builder", "server-secret");
    server("mirror.corp", "proxy", "mirror-secret");
    BaseImageSource base =
        BaseImageSource.of(
            "docker://" + HOST + "/team/base:1",
            tmp,
            false,
            false,
            false,
            List.of(new RegistryMirror(HOST, List.of("mirror.corp/remote"))),
            settings,
            decrypter(security),
            new RegistryAuth("ci", "ci-token"));
    Credentials given = base.registry().credentials().credentials();
    assertEquals("ci", given.username());
    assertEquals("ci-token", given.secret());
    assertTrue(given.source().startsWith("<baseImageAuth>"), given.source());
    RegistryOptions o = base.registry();
    Mirrors.Source mirror =
        o.mirrors().sourcesFor(Reference.parse(HOST + "/team/base:1"), o).get(0);
    assertEquals("mirror-secret", mirror.options().credentials().credentials().secret());

    CredentialSource server =
        GoalCredentials.of(
            new RegistryAuth("", null), "<pushAuth>", settings, decrypter(security), HOST);
    assertEquals("server-secret", server.credentials().secret(), "neither given: the server's");
    for (String[] half : new String[][] {{"ci", null}, {null, "ci-token"}, {"ci", ""}}) {
      MojoFailureException e =
          assertThrows(
              MojoFailureException.class,
              () ->
                  GoalCredentials.of(
                      new RegistryAuth(half[0], half[1]),
                      "<pushAuth> (-Dumoci.push.username/-Dumoci.push.password)",
                      settings,
                      decrypter(security),
                      HOST));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "<pushAuth> (-Dumoci.push.username/-Dumoci.push.password): a "
                      + (half[0] == null
                          ? "password without a user name"
                          : "user name without a password")
                      + " for "
                      + HOST),
          e.getMessage());
      assertFalse(e.getMessage().contains("ci-token"), e.getMessage());
    }
    assertFalse(new RegistryAuth("ci", "ci-token").toString().contains("ci-token"));
  }

  @Test
  void aRegistryBaseWithAnUndecryptablePasswordIsSetUpWithoutDecryptingIt() throws Exception {
    server(HOST, "builder", cipher.encryptAndDecorate("s3cret", "master-pw"));
    BaseImageSource registry =
        BaseImageSource.of(
            "docker://" + HOST + "/team/base:1",
            tmp,
            true,
            false,
            false,
            null,
            settings,
            decrypter(tmp.resolve("missing.xml")),
            null);
    assertThrows(
        CredentialSourceException.class, () -> registry.registry().credentials().credentials());
  }

  /**
   * {@code <registryMirrors>}: each mirror gets the credentials of the server named as its host
   * (and none of the origin's); malformed entries fail the build naming them.
   */
  @Test
  void registryMirrorsTakeTheServerCredentialsOfTheMirrorsHost() throws Exception {
    server(HOST, "builder", "origin-secret");
    server("mirror.corp", "proxy", cipher.encryptAndDecorate("mirror-secret", "master-pw"));
    List<RegistryMirror> mirrors =
        List.of(
            new RegistryMirror(
                "docker.io", List.of("mirror.corp/docker-remote", "other.corp:5000")));
    BaseImageSource base =
        BaseImageSource.of(
            "eclipse-temurin:21-jre",
            tmp,
            false,
            false,
            false,
            mirrors,
            settings,
            decrypter(security),
            null);
    RegistryOptions o = base.registry();
    List<Mirrors.Source> sources =
        o.mirrors().sourcesFor(Reference.parse("eclipse-temurin:21-jre"), o);
    assertEquals(
        "mirror.corp/docker-remote/library/eclipse-temurin:21-jre",
        sources.get(0).reference().toString());
    assertEquals("mirror-secret", sources.get(0).options().credentials().credentials().secret());
    assertNull(sources.get(1).options().credentials(), "no server: the engine's own sources");
    assertTrue(sources.get(0).options().tlsVerify());

    for (Object[] c :
        new Object[][] {
          {
            new RegistryMirror(null, List.of("m.corp")),
            "<registryMirrors>: a <mirror> has no <registry>"
          },
          {
            new RegistryMirror("docker.io", List.of()),
            "<registryMirrors>: <mirror> of docker.io: no <mirrors>"
          },
          {
            new RegistryMirror("docker.io", List.of("nohost")),
            "<registryMirrors>: <mirror> of docker.io: \"nohost\" is not host[:port][/path]"
          },
        }) {
      MojoFailureException e =
          assertThrows(
              MojoFailureException.class,
              () ->
                  BaseImageSource.of(
                      "eclipse-temurin:21-jre",
                      tmp,
                      false,
                      false,
                      false,
                      List.of((RegistryMirror) c[0]),
                      settings,
                      decrypter(security),
                      null));
      assertTrue(e.getMessage().startsWith((String) c[1]), e.getMessage());
    }
  }
}
