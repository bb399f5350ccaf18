package dev.umoci.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.Parameter;

/** Goals that work on an OCI image layout directory. */
public abstract class AbstractLayoutMojo extends AbstractUmociMojo {

  /**
   * The OCI image layout directory the goal works on.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.layout", defaultValue = "${project.build.directory}/oci")
  protected File layout;

  /** {@code <layout>...</layout>} for messages. */
  protected final String layoutElement() {
    return Xml.element("layout", layout);
  }

  @Override
  protected Failures failures() {
    return Failures.blaming(goal(), layoutElement());
  }
}
