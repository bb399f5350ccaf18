package dev.umoci.maven;

import dev.umoci.oci.spec.Descriptor;
import dev.umoci.ops.HistoryOptions;
import dev.umoci.ops.Insert;
import java.io.File;
import java.io.IOException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Adds one layer holding a file or directory tree at a path in the image, or deleting that path
 * ({@code umoci insert}).
 */
@Mojo(name = "insert", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class InsertMojo extends AbstractIdMapMojo {

  /**
   * File or directory to add; not set with {@code whiteout}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.source")
  protected File source;

  /**
   * Absolute path in the image where {@code source} goes (or which {@code whiteout} deletes).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.target", required = true)
  protected String target;

  /**
   * Tag the result under this name instead of moving {@code tag}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.newTag")
  protected String newTag;

  /**
   * Hide everything lower layers have under {@code target} before adding {@code source}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.opaque", defaultValue = "false")
  protected boolean opaque;

  /**
   * Only delete {@code target} from the image (no {@code source}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.whiteout", defaultValue = "false")
  protected boolean whiteout;

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
   * {@code author} of the new history entry.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.history.author")
  protected String historyAuthor;

  @Override
  protected void run() throws IOException, MojoFailureException {
    if (whiteout == (source != null)) {
      throw new MojoFailureException(
          Xml.element("source", source)
              + ": give either <source> (to add) or <whiteout>true</whiteout> (to delete)");
    }
    Descriptor layer =
        Insert.run(
            Insert.Options.copy(
                    image(),
                    source == null ? null : source.toPath(),
                    Inputs.imagePath("target", target),
                    timestamps())
                .withNewTag(Inputs.optionalTag("newTag", newTag))
                .withOpaque(opaque)
                .withWhiteout(whiteout)
                .withMapping(mapping())
                .withCompression(Inputs.compression("compression", compression))
                .withHistory(
                    HistoryOptions.defaults()
                        .withAuthor(historyAuthor)
                        .withComment(historyComment)),
            progress());
    getLog()
        .info(
            (whiteout ? "Deleted " : "Inserted " + source + " at ")
                + target
                + " in "
                + image()
                + " (layer "
                + layer.digest()
                + ")");
  }

  @Override
  protected Failures failures() {
    return super.failures()
        .on(dev.umoci.errors.InvalidArgumentException.class, Xml.element("source", source));
  }
}
