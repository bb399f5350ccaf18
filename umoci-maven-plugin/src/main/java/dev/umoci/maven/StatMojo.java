package dev.umoci.maven;

import dev.umoci.oci.spec.Json;
import dev.umoci.ops.StatImage;
import dev.umoci.ops.StatReport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows the manifest, config and layer history of an image ({@code umoci stat}) in the build log,
 * and optionally writes umoci's JSON form to a file.
 */
@Mojo(name = "stat", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class StatMojo extends AbstractImageMojo {

  /** Log umoci's stable JSON form ({@code umoci stat --json}) instead of the readable text. */
  @Parameter(property = "umoci.stat.json", defaultValue = "false")
  protected boolean json;

  /** When set, also writes the JSON form ({@code umoci stat --json}) to this file. */
  @Parameter(property = "umoci.stat.outputFile")
  protected File outputFile;

  @Override
  protected void run() throws IOException, MojoFailureException {
    StatReport stat = StatImage.run(new StatImage.Options(image()));
    String text =
        json
            ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(stat.toJson())
            : stat.format();
    for (String line : text.split("\n", -1)) {
      getLog().info(line);
    }
    if (outputFile != null) {
      File parent = outputFile.getAbsoluteFile().getParentFile();
      Files.createDirectories(parent.toPath());
      Files.write(
          outputFile.toPath(),
          Json.mapper().writeValueAsString(stat.toJson()).getBytes(StandardCharsets.UTF_8));
    }
  }
}
