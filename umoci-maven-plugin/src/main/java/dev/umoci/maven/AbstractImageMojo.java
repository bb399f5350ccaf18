package dev.umoci.maven;

import dev.umoci.errors.ReferenceNotFoundException;
import dev.umoci.ops.ImageRef;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** Goals that work on one tagged image of the layout. */
public abstract class AbstractImageMojo extends AbstractLayoutMojo {

  /**
   * The tag of the image in {@code layout}: letters and digits, separated by {@code . _ - : @ +} or
   * {@code --}, components joined by {@code /}. Defaults to the project version.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.tag", defaultValue = "${project.version}")
  protected String tag;

  /** The image {@code layout:tag}, the tag checked. */
  protected final ImageRef image() throws MojoFailureException {
    return new ImageRef(layout.toPath(), Inputs.tag("tag", tag));
  }

  @Override
  protected Failures failures() {
    return super.failures().on(ReferenceNotFoundException.class, Xml.element("tag", tag));
  }
}
