package dev.umoci.maven;

import dev.umoci.errors.InvalidBundleException;
import dev.umoci.ops.HistoryOptions;
import dev.umoci.ops.Repack;
import java.io.File;
import java.io.IOException;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Turns the changes made to an unpacked bundle's {@code rootfs/} into a new layer on the image it
 * was unpacked from, and tags the result {@code tag} ({@code umoci repack}).
 */
@Mojo(name = "repack", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class RepackMojo extends AbstractImageMojo {

  /**
   * The bundle directory made by the {@code unpack} goal (or {@code umoci unpack}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.bundle", defaultValue = "${project.build.directory}/bundle")
  protected File bundle;

  /**
   * Paths in the rootfs whose changes are left out of the layer, such as {@code /tmp}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.maskPaths")
  protected List<String> maskPaths;

  /**
   * Include changes under the image's volumes (by default they are left out, like umoci).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.noMaskVolumes", defaultValue = "false")
  protected boolean noMaskVolumes;

  /**
   * Afterwards, make the bundle refer to the new image, so it can be changed and repacked again.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.refreshBundle", defaultValue = "false")
  protected boolean refreshBundle;

  /**
   * Layer compression: {@code gzip}, {@code zstd}, {@code none} or {@code auto}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.compression", defaultValue = "auto")
  protected String compression;

  /**
   * {@code comment} of the new history entry.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.history.comment")
  protected String historyComment;

  /**
   * {@code author} of the new history entry; default: the image author.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.history.author")
  protected String historyAuthor;

  @Override
  protected void run() throws IOException, MojoFailureException {
    if (maskPaths != null) {
      for (String path : maskPaths) {
        Inputs.imagePath("maskPath", path);
      }
    }
    Repack.run(
        Repack.Options.of(image(), bundle.toPath(), timestamps())
            .withMaskPaths(maskPaths)
            .withNoMaskVolumes(noMaskVolumes)
            .withRefreshBundle(refreshBundle)
            .withCompression(Inputs.compression("compression", compression))
            .withHistory(
                HistoryOptions.defaults().withAuthor(historyAuthor).withComment(historyComment)),
        progress());
    getLog().info("Repacked " + bundle + " as " + image());
  }

  @Override
  protected Failures failures() {
    return super.failures().on(InvalidBundleException.class, Xml.element("bundle", bundle));
  }
}
