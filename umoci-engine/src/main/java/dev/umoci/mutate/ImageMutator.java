package dev.umoci.mutate;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.layer.Compression;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.layout.BlobWriter;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.layout.WrittenBlob;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.History;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.Platform;
import dev.umoci.oci.spec.RootFs;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes one image (umoci {@code mutate/mutate.go}): load it from a descriptor path, change its
 * config, manifest annotations and history, append layers, then {@link #commit()} the new config,
 * manifest and any parent indexes as blobs (always with OCI media types, also for an image loaded
 * from Docker schema 2 blobs). Tags are not touched: the caller points a tag at the returned root
 * descriptor (for example with {@code References.update}). Layer blobs are written as they are
 * added; blobs of an uncommitted mutation are garbage for {@code gc}. Not thread-safe.
 */
public final class ImageMutator {
  private static final Logger LOG = LoggerFactory.getLogger(ImageMutator.class);
  private static final int BUFFER = 1 << 16;

  private final OciLayout layout;
  private final DescriptorPath source;
  private Manifest manifest;
  private Image image;

  /** The config as loaded: its platform decides whether an index entry must move (commit). */
  private final Image loaded;

  private ImageMutator(OciLayout layout, DescriptorPath source, Manifest manifest, Image image) {
    this.layout = layout;
    this.source = source;
    this.manifest = manifest;
    this.image = image;
    this.loaded = image;
  }

  /** Loads the manifest at the end of {@code source} and its config. */
  public static ImageMutator load(OciLayout layout, DescriptorPath source) throws IOException {
    Descriptor target = source.descriptor();
    Manifest manifest = ImageBlobs.manifest(layout, target);
    Image image = ImageBlobs.imageConfig(layout, target, manifest);
    if (image.rootfs() != null && !RootFs.TYPE_LAYERS.equals(image.rootfs().type())) {
      throw new InvalidImageException(
          "config "
              + manifest.config().digest()
              + ": unsupported rootfs.type "
              + image.rootfs().type());
    }
    if (image.rootfs().diffIds().size() != manifest.layers().size()) {
      throw new InvalidImageException(
          "manifest "
              + target.digest()
              + " has "
              + manifest.layers().size()
              + " layers but its config lists "
              + image.rootfs().diffIds().size()
              + " diff_ids");
    }
    return new ImageMutator(layout, source, manifest, image);
  }

  /** The descriptor path this mutation started from. */
  public DescriptorPath source() {
    return source;
  }

  /** The image config as changed so far. */
  public Image image() {
    return image;
  }

  /** The manifest as changed so far. */
  public Manifest manifest() {
    return manifest;
  }

  /**
   * Replaces the image config. {@code rootfs} must keep the current DiffIDs (layers are only
   * changed through {@link #addLayer}); the history is taken as given.
   */
  public void setImage(Image newImage) throws InvalidImageException {
    if (!newImage.rootfs().equals(image.rootfs())) {
      throw new InvalidImageException("rootfs of an image can only change by adding layers");
    }
    image = newImage;
  }

  /** Replaces the manifest annotations. */
  public void setManifestAnnotations(Map<String, String> annotations) {
    manifest = manifest.withAnnotations(annotations);
  }

  /** Appends a history entry (such as {@code umoci config}'s {@code empty_layer} entry). */
  public void addHistory(History entry) {
    List<History> history = new ArrayList<>(image.history());
    history.add(entry);
    image = image.withHistory(history);
  }

  /**
   * The compression {@code choice} means for this image: a fixed value as is; {@code auto} is the
   * compression of the most recent gzip/zstd layer, else gzip.
   */
  public Compression resolve(CompressionChoice choice) {
    if (choice.fixed().isPresent()) {
      return choice.fixed().get();
    }
    List<Descriptor> layers = manifest.layers();
    for (int i = layers.size() - 1; i >= 0; i--) {
      try {
        Compression c = Compression.ofMediaType(layers.get(i).mediaType());
        if (c != Compression.NONE) {
          return c;
        }
      } catch (InvalidImageException notALayerWeKnow) {
        // keep looking further down
      }
    }
    return Compression.GZIP;
  }

  /** Appends a layer whose plain tar is everything {@code plainTar} yields; see below. */
  public Descriptor addLayer(InputStream plainTar, CompressionChoice compression, History history)
      throws IOException {
    return addLayer(plainTar::transferTo, compression, history);
  }

  /**
   * Appends a layer. The plain tar the writer produces is hashed (its DiffID) and compressed into a
   * new blob in one streaming pass ({@link #writeLayer}). The DiffID and {@code history} (may be
   * null: no entry, with a warning) are appended to the config.
   *
   * @return the new layer's descriptor
   */
  public Descriptor addLayer(LayerWriter writer, CompressionChoice compression, History history)
      throws IOException {
    LayerBlob blob = writeLayer(layout, writer, resolve(compression));
    appendLayer(blob.descriptor(), blob.diffId(), history);
    return blob.descriptor();
  }

  /**
   * Writes a layer blob into {@code layout} without adding it to an image: the plain tar {@code
   * writer} produces is hashed (its DiffID) and compressed with {@code algorithm} in one streaming
   * pass. The descriptor gets the media type of the compression and, when compressed and plain
   * sizes differ, {@code ci.umo.uncompressed_blob_size}. When {@code writer} throws, nothing is
   * stored. The same bytes give the same blob, whichever image it is later appended to.
   */
  public static LayerBlob writeLayer(OciLayout layout, LayerWriter writer, Compression algorithm)
      throws IOException {
    WrittenBlob blob;
    Digest diffId;
    long plainSize;
    try (BlobWriter out = layout.newBlob()) {
      MessageDigest plainSha256 = Digest.newSha256();
      CountingOutputStream plain =
          new CountingOutputStream(
              algorithm.compress(
                  new BufferedOutputStream(new NonClosingOutputStream(out), BUFFER), plainSha256));
      try {
        writer.writeTo(plain);
      } catch (IOException | RuntimeException | Error e) {
        try {
          plain.close(); // stops the compressor's threads; the blob writer discards the data
        } catch (IOException | RuntimeException closing) {
          e.addSuppressed(closing);
        }
        throw e;
      }
      plain.close(); // finishes the compressed stream, leaves the blob writer open
      blob = out.commit();
      diffId = Digest.ofSha256(plainSha256.digest());
      plainSize = plain.count;
    }
    Map<String, String> annotations = new TreeMap<>();
    if (plainSize != blob.size()) {
      annotations.put(MediaTypes.ANNOTATION_UNCOMPRESSED_SIZE, Long.toString(plainSize));
    }
    Descriptor layer = blob.descriptor(algorithm.layerMediaType()).withAnnotations(annotations);
    LOG.debug("added layer {} (diff_id {}, {})", blob.digest(), diffId, algorithm.flagName());
    return new LayerBlob(layer, diffId);
  }

  /**
   * Appends a layer blob the layout already holds (written by an earlier {@link #addLayer} of
   * another image, so that several images share it): {@code layer} goes to the manifest, {@code
   * diffId} and {@code history} (may be null: no entry, with a warning) to the config. The caller
   * vouches that {@code diffId} is the DiffID of {@code layer}.
   */
  public void appendLayer(Descriptor layer, Digest diffId, History history) {
    List<Descriptor> layers = new ArrayList<>(manifest.layers());
    layers.add(layer);
    manifest = manifest.withLayers(layers);
    List<Digest> diffIds = new ArrayList<>(image.rootfs().diffIds());
    diffIds.add(diffId);
    image = image.withRootFs(RootFs.layers(diffIds));
    if (history != null) {
      addHistory(
          new History(
              history.created(), history.createdBy(), history.author(), history.comment(), false));
    } else {
      LOG.warn("new layer has no history entry -- this will confuse many tools!");
    }
  }

  /**
   * Writes the config and manifest blobs and rewrites every index on the source path so it points
   * to the new manifest.
   *
   * @return the path to the new manifest; its root keeps the old root's annotations
   */
  public DescriptorPath commit() throws IOException {
    Descriptor config = layout.putJson(MediaTypes.IMAGE_CONFIG, image);
    Descriptor oldConfig = manifest.config();
    manifest =
        new Manifest(
            manifest.schemaVersion(),
            MediaTypes.IMAGE_MANIFEST,
            manifest.artifactType(),
            replaceBlob(oldConfig, config),
            ociLayers(manifest.layers()),
            manifest.subject(),
            manifest.annotations());
    Descriptor written = layout.putJson(MediaTypes.IMAGE_MANIFEST, manifest);
    List<Descriptor> walk = source.walk();
    Descriptor child = replaceBlob(walk.get(walk.size() - 1), written);
    List<Descriptor> newWalk = new ArrayList<>();
    newWalk.add(child);
    for (int i = walk.size() - 2; i >= 0; i--) {
      Descriptor oldParent = walk.get(i);
      Descriptor oldChild = walk.get(i + 1);
      Index index = ImageBlobs.index(layout, oldParent);
      List<Descriptor> entries = new ArrayList<>();
      boolean moveEntry = i == walk.size() - 2 && platformChanged(loaded, image);
      for (Descriptor entry : index.manifests()) {
        if (!entry.digest().equals(oldChild.digest())) {
          entries.add(entry);
        } else {
          Descriptor replaced = replaceBlob(entry, child);
          entries.add(moveEntry ? withPlatformOf(replaced, image) : replaced);
        }
      }
      // An OCI index also where the old one was a Docker manifest list.
      Index rewritten =
          new Index(
              index.schemaVersion(),
              MediaTypes.IMAGE_INDEX,
              index.artifactType(),
              entries,
              index.subject(),
              index.annotations());
      Descriptor newIndex = layout.putJson(MediaTypes.IMAGE_INDEX, rewritten);
      child = replaceBlob(oldParent, newIndex);
      newWalk.add(0, child);
    }
    LOG.debug("new image manifest created: {}", written.digest());
    return new DescriptorPath(newWalk);
  }

  /**
   * {@code layers} with Docker layer media types replaced by their OCI equivalents (the blobs are
   * the same bytes), so that a manifest loaded from Docker schema 2 is committed as an OCI one.
   */
  private static List<Descriptor> ociLayers(List<Descriptor> layers) {
    List<Descriptor> out = new ArrayList<>(layers.size());
    for (Descriptor d : layers) {
      out.add(d.withMediaType(MediaTypes.ociEquivalent(d.mediaType())));
    }
    return out;
  }

  /** Whether a config change touched the platform fields of the image. */
  private static boolean platformChanged(Image before, Image after) {
    return !Objects.equals(before.architecture(), after.architecture())
        || !Objects.equals(before.os(), after.os())
        || !Objects.equals(before.variant(), after.variant())
        || !Objects.equals(before.osVersion(), after.osVersion())
        || !Objects.equals(before.osFeatures(), after.osFeatures());
  }

  /**
   * {@code entry}, an index's entry for the committed manifest, with the platform its config now
   * records (a config change of {@code architecture}, {@code os} or {@code variant} moves the entry
   * with it, as the image-spec wants the two to agree); an entry without platform stays so.
   */
  private static Descriptor withPlatformOf(Descriptor entry, Image image) {
    Platform old = entry.platform();
    if (old == null) {
      return entry;
    }
    Platform now = Platform.of(image, old.features());
    return new Descriptor(
        entry.mediaType(),
        entry.digest(),
        entry.size(),
        entry.urls(),
        entry.annotations(),
        entry.data(),
        now,
        entry.artifactType());
  }

  /** {@code old} (annotations, platform, ...) pointing at the blob of {@code fresh}. */
  private static Descriptor replaceBlob(Descriptor old, Descriptor fresh) {
    return new Descriptor(
        fresh.mediaType(),
        fresh.digest(),
        fresh.size(),
        old.urls(),
        old.annotations(),
        null,
        old.platform(),
        old.artifactType());
  }

  /** Counts the plain tar on its way to the compressor (which hashes it for the DiffID). */
  private static final class CountingOutputStream extends FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  /** Lets the compressor finish and close its stream without closing the blob writer. */
  private static final class NonClosingOutputStream extends FilterOutputStream {
    NonClosingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
