package dev.umoci.maven;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.PushImage;
import dev.umoci.registry.CredentialSource;
import dev.umoci.registry.CredentialsNotSentException;
import dev.umoci.registry.Reference;
import dev.umoci.registry.RegistryException;
import dev.umoci.registry.RegistryOptions;
import dev.umoci.registry.RegistryUnreachableException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Pushes the image {@code tag} names (a manifest, or an index with every platform's image) to a
 * registry, as {@code to} and then under each of {@code tags}. Blobs the registry has are not sent
 * again. Credentials: the {@code settings.xml} {@code <server>} whose {@code <id>} is the registry
 * host (passwords decrypted as Maven does), else the files skopeo reads ({@code
 * $REGISTRY_AUTH_FILE}, podman's {@code auth.json}, {@code ~/.docker/config.json} with its
 * credential helpers). An aggregator (packaging {@code pom} with modules) is skipped: its modules
 * push their images.
 */
@Mojo(name = "push", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class PushMojo extends AbstractImageMojo {

  /**
   * Where to push: a registry reference such as {@code registry.example/team/app:1.0} ({@code
   * docker://} may be written in front; the tag defaults to {@code latest}). Required unless the
   * push is skipped ({@code -Dumoci.push.skip}), so a build that binds the goal can still run
   * without a target.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.push.to")
  protected String to;

  /**
   * More tags to point at the pushed image in the same repository, such as {@code latest} ({@code
   * -Dumoci.push.tags=latest,stable}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.push.tags")
  protected List<String> tags;

  /**
   * Allow plain HTTP and unverified TLS for the registry.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.allowInsecureRegistries", defaultValue = "false")
  protected boolean allowInsecureRegistries;

  /**
   * Send credentials to a registry on plain HTTP (allowed by {@code allowInsecureRegistries}),
   * where anyone on the way can read them. Off by default, as in Jib: a registry on plain HTTP that
   * asks for credentials fails the goal, and nothing is sent.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.sendCredentialsOverHttp", defaultValue = "false")
  protected boolean sendCredentialsOverHttp;

  /**
   * User name and password for the registry of {@code to}, as Jib's {@code <to><auth>}: for a CI
   * job, {@code <pushAuth><username>${env.CI_REGISTRY_USER}</username>
   * <password>${env.CI_REGISTRY_PASSWORD}</password></pushAuth>}, or on the command line {@code
   * -Dumoci.push.username=... -Dumoci.push.password=...} (which win over the pom). Both or neither.
   * The plugin never logs the password, but {@code mvn -X} prints the pom's configuration with it:
   * the {@code -D} form (or a {@code settings.xml} server) keeps it out. Not set: the {@code
   * settings.xml} server named as the registry host (which can hold the password encrypted), else
   * the registry auth files.
   *
   * @since 0.1.0
   */
  @Parameter protected RegistryAuth pushAuth;

  /**
   * Skips this goal only ({@code -Dumoci.push.skip}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.push.skip", defaultValue = "false")
  protected boolean skipPush;

  /** Maven settings, for {@code <servers>}. */
  @Parameter(defaultValue = "${settings}", readonly = true, required = true)
  protected Settings settings;

  @Component protected SettingsDecrypter decrypter;

  /** The project: an aggregator pushes nothing. */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  /** The Maven session: offline mode, and {@code -D} properties that override the pom. */
  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  @Override
  protected void run() throws IOException, MojoFailureException {
    if (skipPush) {
      getLog().info("Skipping umoci:push because umoci.push.skip is true");
      return;
    }
    if (Aggregators.isAggregator(project)) {
      getLog().info(Aggregators.skipping(goal(), project));
      return;
    }
    to = overridden("umoci.push.to", "to", to);
    if (to == null || to.isBlank()) {
      throw new MojoFailureException(
          "umoci:push has nowhere to push: set <to>registry.example/team/app:1.0</to> in the"
              + " plugin's <configuration>, or -Dumoci.push.to=REFERENCE (or skip the push with"
              + " -Dumoci.push.skip)");
    }
    tags = overriddenList("umoci.push.tags", "tags", tags);
    Reference ref = reference();
    for (String tag : tags == null ? List.<String>of() : tags) {
      try {
        PushImage.checkTag(tag);
      } catch (InvalidArgumentException e) {
        throw new MojoFailureException(
            Xml.element("tags", String.join(",", tags)) + ": " + e.getMessage(), e);
      }
    }
    if (session.isOffline()) {
      throw new MojoFailureException(
          Xml.element("to", to)
              + ": cannot push in offline mode (mvn -o): run without -o, or skip the push with"
              + " -Dumoci.push.skip");
    }
    if (!layout.exists()) {
      throw new MojoFailureException(
          layoutElement()
              + ": no image to push, the layout does not exist: build it in the same run first"
              + " (mvn package umoci:push, or mvn deploy)");
    }
    PushImage.Result r;
    try {
      r =
          PushImage.run(
              PushImage.Options.of(image(), ref)
                  .withExtraTags(tags)
                  .withRegistry(
                      RegistryOptions.builder()
                          .tlsVerify(!allowInsecureRegistries)
                          .sendCredentialsOverHttp(sendCredentialsOverHttp)
                          .credentials(credentials(ref.registry()))
                          .userAgent(UserAgent.VALUE)
                          .build()));
    } catch (RegistryUnreachableException e) {
      throw InsecureRegistryHint.apply(e, allowInsecureRegistries);
    } catch (CredentialsNotSentException e) {
      throw InsecureRegistryHint.apply(e);
    }
    getLog()
        .info(
            "Pushed "
                + image()
                + " ("
                + r.push().digest()
                + ") as "
                + r.references()
                + ": "
                + r.push().blobsUploaded()
                + " blob(s), "
                + r.push().bytesUploaded()
                + " bytes sent; "
                + r.push().blobsSkipped()
                + " already there, "
                + r.push().blobsMounted()
                + " mounted from another repository");
  }

  /**
   * {@code value} of the pom, unless {@code -Dproperty} is given on the command line: as with Jib's
   * {@code -Djib.to.image}, the command line wins over a value the pom sets (Maven itself gives the
   * pom's precedence), so that a CI job can push elsewhere without editing the pom.
   */
  private String overridden(String property, String element, String value) {
    String given = session.getUserProperties().getProperty(property);
    if (given == null || given.isBlank() || given.equals(value)) {
      return value;
    }
    if (value != null) {
      getLog().info("-D" + property + "=" + given + " overrides the pom's <" + element + ">");
    }
    return given;
  }

  /**
   * The credentials for {@code registry}: the goal's, else settings.xml's (see {@link #username}).
   */
  private CredentialSource credentials(String registry) throws MojoFailureException {
    return GoalCredentials.of(
        GoalCredentials.given(session, pushAuth, "umoci.push"),
        "<pushAuth> (-Dumoci.push.username/-Dumoci.push.password)",
        settings,
        decrypter,
        registry);
  }

  private List<String> overriddenList(String property, String element, List<String> value) {
    String given = session.getUserProperties().getProperty(property);
    if (given == null || given.isBlank()) {
      return value;
    }
    List<String> list =
        Arrays.stream(given.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    if (value != null && !value.isEmpty() && !list.equals(value)) {
      getLog().info("-D" + property + "=" + given + " overrides the pom's <" + element + ">");
    }
    return list;
  }

  private Reference reference() throws MojoFailureException {
    String value = to.startsWith("docker://") ? to.substring(9) : to;
    try {
      return Reference.parse(value).withDefaultTag();
    } catch (InvalidArgumentException e) {
      throw new MojoFailureException(Xml.element("to", to) + ": " + e.getMessage(), e);
    }
  }

  @Override
  protected Failures failures() {
    // every registry failure of a push is about the destination, not the layout
    return super.failures().on(RegistryException.class, Xml.element("to", to));
  }
}
