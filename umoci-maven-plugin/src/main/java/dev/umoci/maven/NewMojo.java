package dev.umoci.maven;

import dev.umoci.oci.spec.Descriptor;
import dev.umoci.ops.HostPlatform;
import dev.umoci.ops.NewImage;
import java.io.IOException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Creates a new empty image (no layers) tagged {@code tag} in an existing layout ({@code umoci
 * new}). Its {@code created} time comes from {@code project.build.outputTimestamp} when set.
 */
@Mojo(name = "new", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class NewMojo extends AbstractImageMojo {

  /**
   * Operating system recorded in the new image; default: the host's ({@code linux}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.os")
  protected String os;

  /**
   * CPU architecture recorded in the new image, in Go's names ({@code amd64}, {@code arm64}, ...);
   * default: the host's.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.architecture")
  protected String architecture;

  /**
   * CPU variant recorded in the new image ({@code v8} for arm64, ...); default: the host's.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.variant")
  protected String variant;

  @Override
  protected void run() throws IOException, MojoFailureException {
    Descriptor created =
        NewImage.run(
            new NewImage.Options(image(), timestamps(), platform(os, architecture, variant)));
    getLog().info("Created image " + image() + " (" + created.digest() + ")");
  }

  /** The host platform with the given parts replaced. */
  static HostPlatform platform(String os, String architecture, String variant) {
    HostPlatform host = HostPlatform.current();
    boolean archGiven = architecture != null;
    return new HostPlatform(
        os != null ? os : host.os(),
        archGiven ? architecture : host.architecture(),
        variant != null ? variant : archGiven ? null : host.variant());
  }
}
