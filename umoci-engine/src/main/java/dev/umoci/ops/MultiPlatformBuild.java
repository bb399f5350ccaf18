package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.Platform;
import dev.umoci.oci.spec.PlatformSpecifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds one image per platform, as {@link BuildImage} builds one, and tags an OCI image index over
 * them (what the Maven plugin's {@code build} goal runs for {@code <platforms>}). Each image starts
 * from its own base (the base's image for that platform) or from an empty image of that platform;
 * the configuration and the added layers are the same for all. The layers are generated once, for
 * the first platform, and the other images reference the same blobs, so every image of the index
 * has the same application layer digests. The index entries carry the platform each image's config
 * records; nothing is tagged until every image is written.
 */
public final class MultiPlatformBuild {
  private MultiPlatformBuild() {}

  /**
   * One image of the index.
   *
   * @param platform the platform; the empty image of {@code base} null records it
   * @param base the base for this platform (already the image for it: see {@link
   *     BaseImages#resolveFor}), or null for an empty image
   * @param config the configuration changes of this image (manifest annotations may differ, such as
   *     the base digest); null = none
   */
  public record PlatformImage(
      PlatformSpecifier platform, ImageRef base, ConfigUpdate.Options config) {
    public PlatformImage {
      Objects.requireNonNull(platform, "platform");
    }
  }

  /**
   * @param build what every image shares: target, deletions, layers, history, compression, layer
   *     options and timestamps (its base, platform and config are replaced by each {@link
   *     PlatformImage}'s)
   * @param images the images, one per platform, in the order of the index; at least one
   */
  public record Options(BuildImage.Options build, List<PlatformImage> images) {
    public Options {
      Objects.requireNonNull(build, "build");
      images = List.copyOf(images);
    }
  }

  /** The tagged index, each platform's manifest (in index order) and the shared layers. */
  public record Result(
      Descriptor index, List<Descriptor> manifests, List<Descriptor> addedLayers) {}

  public static Result run(Options o) throws IOException {
    if (o.images().isEmpty()) {
      throw new InvalidArgumentException("platforms: no platform given");
    }
    Set<String> seen = new HashSet<>();
    List<BuildImage.Options> builds = new ArrayList<>();
    List<Descriptor> bases = new ArrayList<>();
    for (PlatformImage image : o.images()) {
      if (!seen.add(image.platform().toString())) {
        throw new InvalidArgumentException("platforms: " + image.platform() + " is given twice");
      }
      BuildImage.Options b = forImage(o.build(), image);
      BuildInputs.validate(b);
      builds.add(b);
      bases.add(BuildImage.baseManifest(b));
    }
    try (OciLayout target = BuildImage.openOrCreate(o.build().target().layout())) {
      List<BuildImage.AddedLayer> shared = null;
      List<Descriptor> manifests = new ArrayList<>();
      for (int i = 0; i < builds.size(); i++) {
        BuildImage.Built built =
            BuildImage.buildUntagged(target, builds.get(i), bases.get(i), shared);
        shared = built.layers();
        manifests.add(withPlatform(target, built.manifest()));
      }
      Index index = new Index(2, MediaTypes.IMAGE_INDEX, null, manifests, null, null);
      Descriptor written = target.putJson(MediaTypes.IMAGE_INDEX, index);
      String tag = o.build().target().tag();
      References.update(target, tag, written);
      List<Descriptor> layers = new ArrayList<>();
      for (BuildImage.AddedLayer layer : shared) {
        layers.add(layer.layer());
      }
      return new Result(
          written.withAnnotation(MediaTypes.ANNOTATION_REF_NAME, tag), manifests, layers);
    }
  }

  private static BuildImage.Options forImage(BuildImage.Options common, PlatformImage image) {
    PlatformSpecifier p = image.platform();
    return common.toBuilder()
        .base(image.base())
        .platform(new HostPlatform(p.os(), p.architecture(), p.variant()))
        .config(image.config())
        .build();
  }

  /** The manifest descriptor with the platform its config records, for the index. */
  private static Descriptor withPlatform(OciLayout layout, Descriptor manifest) throws IOException {
    Image config =
        dev.umoci.oci.casext.ImageBlobs.imageConfig(
            layout, manifest, dev.umoci.oci.casext.ImageBlobs.manifest(layout, manifest));
    Platform platform = Platform.of(config, null);
    return new Descriptor(
        manifest.mediaType(), manifest.digest(), manifest.size(), null, null, null, platform, null);
  }
}
