package dev.umoci.maven;

import dev.umoci.oci.spec.Descriptor;
import dev.umoci.ops.TagImage;
import java.io.IOException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Points {@code newTag} at the image {@code tag} names, replacing it if it exists ({@code umoci
 * tag}).
 */
@Mojo(name = "tag", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class TagMojo extends AbstractImageMojo {

  /**
   * The tag to create or move, such as {@code latest}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.newTag", required = true)
  protected String newTag;

  @Override
  protected void run() throws IOException, MojoFailureException {
    Descriptor target = TagImage.run(new TagImage.Options(image(), Inputs.tag("newTag", newTag)));
    getLog().info("Tagged " + target.digest() + " as " + newTag + " in " + layout);
  }
}
