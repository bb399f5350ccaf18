package dev.umoci.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.umoci.oci.casext.DescriptorWalk;
import dev.umoci.oci.casext.ImageManifests;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.ManifestBytes;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.sys.ExitRemovals;
import dev.umoci.sys.TreeRemover;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image about to be pushed to a registry, with its uncompressed layers gzip-compressed first, as
 * skopeo does for a registry destination (containers/image compresses every layer a {@code
 * docker://} destination would receive uncompressed): a registry then stores and serves the layer
 * at a fraction of its size. The config is unchanged (a layer's {@code diff_id} is the digest of
 * its uncompressed bytes either way); the manifests and indexes above a compressed layer are
 * rewritten (other fields kept as they are), so the image pushed has new manifest digests. The
 * source layout is not touched: the push reads from a temporary layout ({@link SpoolDirectory})
 * whose other blobs are hard links to the source's (copies across file systems), removed when this
 * is closed. An image without uncompressed layers, or one whose digests must be kept ({@code
 * --preserve-digests}), is pushed from its own layout as it is.
 */
final class PushCompression implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PushCompression.class);

  private final OciLayout layout;
  private final Descriptor top;
  private final Path temp;
  private final ExitRemovals.Registration removal;

  private PushCompression(
      OciLayout layout, Descriptor top, Path temp, ExitRemovals.Registration removal) {
    this.layout = layout;
    this.top = top;
    this.temp = temp;
    this.removal = removal;
  }

  /**
   * {@code top} of {@code source} as it is to be pushed: as it is when {@code preserveDigests} or
   * when no layer below it is uncompressed; else compressed into a temporary layout below {@code
   * TMPDIR} of {@code env}.
   */
  static PushCompression prepare(
      OciLayout source, Descriptor top, boolean preserveDigests, Map<String, String> env)
      throws IOException {
    List<ManifestBytes> manifests = ImageManifests.below(source, top);
    if (preserveDigests || !hasUncompressedLayer(manifests)) {
      return new PushCompression(source, top, null, null);
    }
    Path temp = Files.createTempDirectory(SpoolDirectory.parent(env), "umoci-push-");
    ExitRemovals.Registration removal = ExitRemovals.register(temp);
    OciLayout target = null;
    try {
      target = OciLayout.create(temp.resolve("layout"));
      linkAll(source, top, target);
      Map<Digest, Descriptor> replaced = new HashMap<>();
      for (ManifestBytes m : manifests) {
        rewrite(source, target, m, replaced);
      }
      Descriptor pushed = replaced.getOrDefault(top.digest(), top);
      LOG.info(
          "{}: uncompressed layers gzip-compressed for the registry, as skopeo and Jib push;"
              + " pushed as {}",
          top.digest(),
          pushed.digest());
      return new PushCompression(
          target, Descriptor.of(top.mediaType(), pushed.digest(), pushed.size()), temp, removal);
    } catch (IOException | RuntimeException | Error e) {
      try {
        if (target != null) {
          target.close();
        }
        TreeRemover.direct().remove(temp);
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      removal.close();
      throw e;
    }
  }

  /** The layout to push from. */
  OciLayout layout() {
    return layout;
  }

  /** The manifest or index to push. */
  Descriptor top() {
    return top;
  }

  /** Removes the temporary layout, if any (not the source layout). */
  @Override
  public void close() throws IOException {
    if (temp == null) {
      return;
    }
    try (removal) {
      layout.close();
      TreeRemover.direct().remove(temp);
    }
  }

  /**
   * Whether a manifest of {@code manifests} has a plain-tar layer. Read with the engine's streaming
   * parser: a push that compresses nothing never starts Jackson's databind (~0.1 s of CPU).
   */
  private static boolean hasUncompressedLayer(List<ManifestBytes> manifests) throws IOException {
    for (ManifestBytes m : manifests) {
      if (isManifest(m)) {
        for (Descriptor layer :
            Json.parse(m.bytes(), Manifest.class, "manifest " + m.digest()).layers()) {
          if (GzipLayer.isPlain(layer.mediaType())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean isManifest(ManifestBytes m) {
    return !MediaTypes.isIndex(m.mediaType());
  }

  /** Every blob {@code top} reaches in {@code source}, linked (or copied) into {@code target}. */
  private static void linkAll(OciLayout source, Descriptor top, OciLayout target)
      throws IOException {
    DescriptorWalk.walk(
        source,
        List.of(top),
        d -> {
          if (d.data() != null || target.hasBlob(d.digest())) {
            return;
          }
          // The push verifies each blob as it sends it: no need to read it here.
          if (!target.linkBlob(source.blobPath(d.digest()), d, false)) {
            try (InputStream in = source.openBlob(d)) {
              target.putBlob(in);
            }
          }
        });
  }

  /**
   * Stores in {@code target} the form of {@code m} with compressed layers and rewritten entries
   * ({@code replaced}: what each changed blob became), when anything in it changed.
   */
  private static void rewrite(
      OciLayout source, OciLayout target, ManifestBytes m, Map<Digest, Descriptor> replaced)
      throws IOException {
    ObjectNode json = (ObjectNode) Json.mapper().readTree(m.bytes());
    boolean changed = false;
    for (JsonNode entry : json.path(isManifest(m) ? "layers" : "manifests")) {
      ObjectNode e = (ObjectNode) entry;
      Digest digest = Digest.parse(e.path("digest").asText());
      Descriptor to = replaced.get(digest);
      if (to == null && isManifest(m) && GzipLayer.isPlain(e.path("mediaType").asText())) {
        to =
            GzipLayer.compress(
                source,
                Descriptor.of(e.path("mediaType").asText(), digest, e.path("size").asLong()),
                target);
        replaced.put(digest, to);
      }
      if (to != null) {
        e.put("mediaType", to.mediaType());
        e.put("digest", to.digest().toString());
        e.put("size", to.size());
        e.remove("data"); // embedded bytes of what was replaced
        changed = true;
      }
    }
    if (!changed) {
      return;
    }
    Descriptor written =
        target.putBytes(m.mediaType(), Json.mapper().writeValueAsBytes((JsonNode) json));
    replaced.put(m.digest(), written);
  }
}
