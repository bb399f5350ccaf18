package dev.umoci.maven;

import dev.umoci.ops.ConfigUpdate;
import dev.umoci.ops.HistoryOptions;
import dev.umoci.ops.ImageRef;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The image configuration parameters shared by {@code config} and {@code build}: everything {@code
 * umoci config} can set. A parameter left out keeps the image's current value; lists of ports and
 * volumes and the maps of environment, labels and annotations add to (or replace same-named)
 * current values.
 */
public abstract class AbstractConfigMojo extends AbstractImageMojo {

  /**
   * Image author ({@code author} of the config), for example {@code Jane Doe <jane@example.com>}.
   * Without it, {@code build} gives the image no author (a base's is dropped, as Jib does); the
   * other goals keep the image's.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.author")
  protected String author;

  /**
   * The command the container runs ({@code config.Entrypoint}), one element per argument: {@code
   * <entrypoint><arg>java</arg><arg>-jar</arg><arg>/app/my-app.jar</arg></entrypoint>} (for a jar
   * with a {@code Main-Class}; {@code build} puts the project's jar at {@code
   * <appRoot>/<artifactId>.jar}). Replaces the current value.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.entrypoint")
  protected List<String> entrypoint;

  /**
   * Default arguments ({@code config.Cmd}), one element per argument; appended to the entrypoint by
   * runtimes. Replaces the current value.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.cmd")
  protected List<String> cmd;

  /**
   * Environment variables ({@code config.Env}) as {@code <env><NAME>value</NAME></env>}; a variable
   * of the same name is replaced, others are appended in name order.
   *
   * @since 0.1.0
   */
  @Parameter protected Map<String, String> env;

  /**
   * Image labels ({@code config.Labels}) as {@code <labels><org.opencontainers.image.title>hello
   * </org.opencontainers.image.title></labels>}.
   *
   * @since 0.1.0
   */
  @Parameter protected Map<String, String> labels;

  /**
   * Ports the container listens on ({@code config.ExposedPorts}), as {@code <port>8080/tcp</port>}:
   * a port from 1 to 65535, optionally followed by {@code /tcp} or {@code /udp} ({@code 8080},
   * {@code 8080/tcp}, {@code 53/udp}); anything else fails the build.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.exposedPorts")
  protected List<String> exposedPorts;

  /**
   * Volume mount points ({@code config.Volumes}), as {@code <volume>/data</volume>}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.volumes")
  protected List<String> volumes;

  /**
   * User (and group) the process runs as ({@code config.User}): {@code 1000}, {@code app:app}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.user")
  protected String user;

  /**
   * Working directory of the process ({@code config.WorkingDir}), an absolute path.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.workingDir")
  protected String workingDir;

  /**
   * Signal that stops the container ({@code config.StopSignal}), such as {@code SIGTERM}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.stopSignal")
  protected String stopSignal;

  /**
   * Operating system of the image ({@code os}), such as {@code linux}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.os")
  protected String os;

  /**
   * CPU architecture of the image ({@code architecture}), in Go's names: {@code amd64}, {@code
   * arm64}. In {@code build} on a base image, this (like {@code os} and {@code variant}) picks the
   * base's image for the platform, and a base that has none for it fails the build.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.architecture")
  protected String architecture;

  /**
   * CPU variant of the image ({@code variant}), such as {@code v8}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.variant")
  protected String variant;

  /**
   * Manifest annotations as {@code <annotations><org.opencontainers.image.version>1.0
   * </org.opencontainers.image.version></annotations>}.
   *
   * @since 0.1.0
   */
  @Parameter protected Map<String, String> annotations;

  /**
   * {@code comment} of the history entries this goal adds.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.history.comment")
  protected String historyComment;

  /**
   * {@code author} of the history entries this goal adds; default: the image author.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.history.author")
  protected String historyAuthor;

  /**
   * Leave the image history as it is: no history entries are added.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.history.skip", defaultValue = "false")
  protected boolean noHistory;

  /**
   * The configuration changes for {@code image}, checked; {@code entrypoint} replaces the
   * configured entrypoint when the goal computes a default.
   */
  protected final ConfigUpdate.Builder configChanges(ImageRef image, List<String> entrypoint)
      throws MojoFailureException {
    return ConfigUpdate.Options.builder(image)
        .author(author)
        .entrypoint(entrypoint)
        .cmd(given(cmd))
        .env(Inputs.keyValues("env", env))
        .labels(Inputs.keyValues("labels", labels))
        .exposedPorts(Inputs.exposedPorts("port", exposedPorts))
        .volumes(volumes)
        .user(user)
        .workingDir(workingDir)
        .stopSignal(stopSignal)
        .os(os)
        .architecture(architecture)
        .variant(variant)
        .manifestAnnotations(Inputs.keyValues("annotations", annotations))
        .history(history());
  }

  /**
   * {@code list}, or null when it is null or empty: Maven may inject an empty list for a parameter
   * the POM does not set, and an empty {@code <entrypoint/>} means "not given" too.
   */
  protected static List<String> given(List<String> list) {
    return list == null || list.isEmpty() ? null : list;
  }

  /** The history parameters; {@code noHistory} together with author/comment is refused. */
  protected final HistoryOptions history() throws MojoFailureException {
    if (noHistory && (historyAuthor != null || historyComment != null)) {
      throw new MojoFailureException(
          Xml.element("noHistory", true)
              + ": cannot be combined with <historyAuthor> or <historyComment>");
    }
    return HistoryOptions.defaults()
        .withNoHistory(noHistory)
        .withAuthor(historyAuthor)
        .withComment(historyComment);
  }
}
