package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.ReferenceNames;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.registry.Pusher;
import dev.umoci.registry.Reference;
import dev.umoci.registry.RegistryClient;
import dev.umoci.registry.RegistryOptions;
import dev.umoci.registry.TransferListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pushes a tagged image of a layout (a manifest, or an index with all its images) to a registry
 * under {@code to}'s tag and then under each extra tag (only the manifest travels again). Blobs the
 * registry has are skipped, so a rebuild sends only what changed. An image built on a base pulled
 * from the same registry (its {@value BaseImages#ANNOTATION_BASE_NAME} annotation names a
 * repository there) gets its blobs mounted from that repository rather than uploaded. Uncompressed
 * layers are sent gzip-compressed ({@link PushCompression}, as Jib and skopeo push).
 */
public final class PushImage {
  private PushImage() {}

  /**
   * @param image the image in a local layout
   * @param to the destination; its tag (default {@code latest}) is pushed first
   * @param extraTags more tags for the same image, in order; null = none
   */
  public record Options(
      ImageRef image,
      Reference to,
      List<String> extraTags,
      RegistryOptions registry,
      TransferListener listener) {
    /** Push {@code image} to {@code to}, no extra tags, default registry options, no listener. */
    public static Options of(ImageRef image, Reference to) {
      return new Options(image, to, null, null, null);
    }

    /** These options with {@code extraTags} replaced. */
    public Options withExtraTags(List<String> extraTags) {
      return new Options(image, to, extraTags, registry, listener);
    }

    /** These options with {@code registry} replaced. */
    public Options withRegistry(RegistryOptions registry) {
      return new Options(image, to, extraTags, registry, listener);
    }

    /** These options with {@code listener} replaced. */
    public Options withListener(TransferListener listener) {
      return new Options(image, to, extraTags, registry, listener);
    }

    public Options {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(to, "to");
      extraTags = extraTags == null ? List.of() : List.copyOf(extraTags);
      registry = registry == null ? RegistryOptions.builder().build() : registry;
      listener = listener == null ? TransferListener.NONE : listener;
    }
  }

  /** What was pushed: the result of the first push and every reference now pointing at it. */
  public record Result(Pusher.Result push, List<Reference> references) {}

  /**
   * Checks one of {@link Options#extraTags()}: a tag of the reference grammar.
   *
   * @throws InvalidArgumentException when it is not
   */
  public static void checkTag(String tag) throws InvalidArgumentException {
    if (!ReferenceNames.isValid(tag)
        || tag.contains("/")
        || tag.contains(":")
        || tag.contains("@")) {
      throw new InvalidArgumentException("invalid tag \"" + tag + "\" to push");
    }
  }

  public static Result run(Options o) throws IOException {
    Reference first = o.to().withDefaultTag();
    for (String tag : o.extraTags()) {
      checkTag(tag);
    }
    // Connect while the layout is opened and read.
    PendingConnection<RegistryClient> connecting =
        PendingConnection.start(first.registry(), o.registry());
    OciLayout opened;
    try {
      opened = OciLayout.open(o.image().layout());
    } catch (IOException | RuntimeException e) {
      connecting.abandon();
      throw e;
    }
    try (OciLayout layout = opened;
        RegistryClient client = connecting.join()) {
      Descriptor tagged = References.resolve(layout, o.image().tag());
      Descriptor top = Descriptor.of(tagged.mediaType(), tagged.digest(), tagged.size());
      String mountFrom = baseRepository(layout, top, first);
      try (PushCompression pushed =
          PushCompression.prepare(layout, top, false, o.registry().environment())) {
        Pusher.Result r =
            Pusher.push(
                pushed.layout(), pushed.top(), client, first, mountFrom, o.listener(), null);
        List<Reference> refs = new ArrayList<>(List.of(first));
        byte[] bytes = pushed.layout().readBlob(pushed.top());
        for (String tag : o.extraTags()) {
          client.putManifest(first.repository(), tag, top.mediaType(), bytes);
          refs.add(new Reference(first.registry(), first.repository(), tag, null));
        }
        return new Result(r, refs);
      }
    }
  }

  /**
   * The repository of the base the image records ({@value BaseImages#ANNOTATION_BASE_NAME} of the
   * manifest, or of the first image of an index that has one) when it is on {@code dest}'s
   * registry; else null. A name that does not parse as a reference is ignored.
   */
  static String baseRepository(OciLayout layout, Descriptor top, Reference dest)
      throws IOException {
    // Parsed as they are: only the annotations matter here, and a manifest or list of any kind
    // (Docker schema 2 included) is pushed as it is.
    List<Descriptor> manifests =
        RegistryClient.isIndex(top.mediaType())
            ? Json.parse(layout.readBlob(top), Index.class, "index " + top.digest()).manifests()
            : List.of(top);
    for (Descriptor d : manifests == null ? List.<Descriptor>of() : manifests) {
      if (!RegistryClient.isManifest(d.mediaType())) {
        continue;
      }
      Map<String, String> annotations =
          Json.parse(layout.readBlob(d), Manifest.class, "manifest " + d.digest()).annotations();
      String name = annotations == null ? null : annotations.get(BaseImages.ANNOTATION_BASE_NAME);
      if (name == null) {
        continue;
      }
      try {
        Reference base = Reference.parse(name);
        return base.registry().equals(dest.registry()) ? base.repository() : null;
      } catch (InvalidArgumentException e) {
        return null;
      }
    }
    return null;
  }
}
