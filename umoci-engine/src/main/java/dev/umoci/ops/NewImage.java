package dev.umoci.ops;

import dev.umoci.oci.casext.ReferenceNames;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.ImageConfig;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.Rfc3339;
import dev.umoci.oci.spec.RootFs;
import java.io.IOException;
import java.util.List;

/**
 * {@code umoci new}: an empty image (no layers, no history) whose config records the creation time
 * (SOURCE_DATE_EPOCH or now) and the host platform, tagged {@code image.tag()}.
 */
public final class NewImage {
  private NewImage() {}

  public record Options(ImageRef image, Timestamps timestamps, HostPlatform platform) {
    /** Host platform of this JVM. */
    public Options(ImageRef image, Timestamps timestamps) {
      this(image, timestamps, HostPlatform.current());
    }
  }

  /** Returns the new manifest's descriptor (as tagged). */
  public static Descriptor run(Options options) throws IOException {
    ReferenceNames.require(options.image().tag(), "--image");
    try (OciLayout layout = OciLayout.open(options.image().layout())) {
      HostPlatform host = options.platform();
      Image image =
          new Image(
              Rfc3339.format(options.timestamps().now()),
              null,
              host.architecture(),
              host.os(),
              null,
              null,
              host.variant(),
              ImageConfig.empty(),
              RootFs.layers(List.of()),
              List.of());
      Descriptor config = layout.putJson(MediaTypes.IMAGE_CONFIG, image);
      Descriptor manifest =
          layout.putJson(MediaTypes.IMAGE_MANIFEST, Manifest.of(config, List.of()));
      References.update(layout, options.image().tag(), manifest);
      return manifest.withAnnotation(MediaTypes.ANNOTATION_REF_NAME, options.image().tag());
    }
  }
}
