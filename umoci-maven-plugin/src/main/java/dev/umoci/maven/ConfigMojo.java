package dev.umoci.maven;

import dev.umoci.oci.spec.Descriptor;
import dev.umoci.ops.ConfigUpdate;
import dev.umoci.ops.ImageRef;
import java.io.IOException;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Changes the configuration (author, entrypoint, env, labels, ports, ...) and manifest annotations
 * of an image and tags the result ({@code umoci config}). Parameters left out keep their values.
 */
@Mojo(name = "config", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class ConfigMojo extends AbstractConfigMojo {

  /**
   * Tag the changed image under this name instead of moving {@code tag}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.newTag")
  protected String newTag;

  /**
   * Values to clear before the new ones are applied: {@code config.labels}, {@code
   * manifest.annotations}, {@code config.exposedports}, {@code config.env}, {@code config.volume},
   * {@code config.cmd}, {@code config.entrypoint}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.clear")
  protected List<String> clear;

  /**
   * New {@code created} time of the image (RFC 3339); default: unchanged.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.created")
  protected String created;

  @Override
  protected void run() throws IOException, MojoFailureException {
    ImageRef image = image();
    if (clear != null) {
      for (String key : clear) {
        if (!ConfigUpdate.CLEARABLE.contains(key)) {
          throw new MojoFailureException(
              Xml.element("clear", key)
                  + ": expected one of "
                  + String.join(", ", ConfigUpdate.CLEARABLE.stream().sorted().toList()));
        }
      }
    }
    ConfigUpdate.Options options =
        configChanges(image, given(entrypoint))
            .newTag(Inputs.optionalTag("newTag", newTag))
            .clear(clear)
            .created(Inputs.rfc3339("created", created))
            .timestamps(timestamps())
            .build();
    Descriptor result = ConfigUpdate.run(options);
    getLog()
        .info(
            "Updated config of "
                + image
                + (newTag == null ? "" : " as " + newTag)
                + " ("
                + result.digest()
                + ")");
  }
}
