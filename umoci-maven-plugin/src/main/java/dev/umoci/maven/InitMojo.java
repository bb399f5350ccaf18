package dev.umoci.maven;

import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.ops.InitLayout;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Creates an empty OCI image layout ({@code umoci init}). */
@Mojo(name = "init", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class InitMojo extends AbstractLayoutMojo {

  /**
   * When the layout directory already holds an OCI layout ({@code oci-layout} file), leave it as it
   * is instead of failing, so a build can run again without {@code clean}. Set to {@code false} to
   * fail like {@code umoci init} does.
   */
  @Parameter(property = "umoci.init.reuseExisting", defaultValue = "true")
  protected boolean reuseExisting;

  @Override
  protected void run() throws IOException {
    if (reuseExisting && InitLayout.isLayout(layout.toPath())) {
      getLog().info("OCI layout " + layout + " already exists; reusing it");
      return;
    }
    Files.createDirectories(layout.toPath().toAbsolutePath().getParent());
    try {
      InitLayout.run(new InitLayout.Options(layout.toPath()));
    } catch (InvalidLayoutException e) {
      if (reuseExisting && InitLayout.isLayout(layout.toPath())) {
        // Another module of a parallel build (mvn -T) created it since the check above.
        getLog().info("OCI layout " + layout + " was just created by another build; reusing it");
        return;
      }
      throw e;
    }
    getLog().info("Created OCI layout " + layout);
  }
}
