package dev.umoci.maven;

import dev.umoci.errors.InvalidBundleException;
import dev.umoci.ops.Unpack;
import java.io.File;
import java.io.IOException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Extracts an image into a runtime bundle ({@code umoci unpack}): {@code rootfs/}, {@code
 * config.json} and the metadata {@code repack} needs. The bundle must not hold an unpacked image
 * already.
 */
@Mojo(name = "unpack", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class UnpackMojo extends AbstractIdMapMojo {

  /**
   * The bundle directory to create.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.bundle", defaultValue = "${project.build.directory}/bundle")
  protected File bundle;

  /**
   * Keep directory symlinks of lower layers when a later layer has a directory there.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.keepDirlinks", defaultValue = "false")
  protected boolean keepDirlinks;

  @Override
  protected void run() throws IOException, MojoFailureException {
    Unpack.run(
        Unpack.Options.of(image(), bundle.toPath())
            .withMapping(mapping())
            .withKeepDirlinks(keepDirlinks),
        progress());
    getLog().info("Unpacked " + image() + " into " + bundle);
  }

  @Override
  protected Failures failures() {
    return super.failures().on(InvalidBundleException.class, Xml.element("bundle", bundle));
  }
}
