package dev.umoci.ops;

import dev.umoci.oci.casext.ReferenceNames;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.MediaTypes;
import java.io.IOException;

/**
 * {@code umoci tag}: points {@code newTag} at the entry {@code source} resolves to (clobbering).
 */
public final class TagImage {
  private TagImage() {}

  public record Options(ImageRef source, String newTag) {}

  public static Descriptor run(Options options) throws IOException {
    ReferenceNames.require(options.newTag(), "tag");
    try (OciLayout layout = OciLayout.open(options.source().layout())) {
      Descriptor target = References.resolve(layout, options.source().tag());
      References.update(layout, options.newTag(), target);
      return target.withAnnotation(MediaTypes.ANNOTATION_REF_NAME, options.newTag());
    }
  }
}
