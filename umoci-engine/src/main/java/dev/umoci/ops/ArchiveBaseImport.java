package dev.umoci.ops;

import dev.umoci.oci.casext.DescriptorWalk;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.registry.PlatformChoice;
import dev.umoci.sys.ExitRemovals;
import dev.umoci.sys.TreeRemover;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A base image from an archive ({@link CopyLocation.Archive}) imported into the per-user {@link
 * BaseImageCache}, once per archive content: the cache tag ({@link #tagFor}) holds the archive's
 * SHA-256 and the image chosen in it, so an archive that changed is imported again and one that did
 * not is only hashed.
 *
 * <p>The archive is read into a temporary layout as {@code copy} reads it ({@link
 * ArchiveCopy#read}: no name in it is used as a path, every blob is verified) and copied into the
 * cache from there ({@link LayoutCopy}, which verifies again and undoes a failed copy), the whole
 * image or index, so the build picks the platform as from a layout. A docker archive's layers,
 * which that format stores uncompressed, are gzip-compressed on the way (their diff_ids, and so the
 * image's config, unchanged), as Jib does with such a base: an image built on it would otherwise be
 * pushed at several times its size. An {@code oci-archive}'s image is kept as it is, digests and
 * all. The blobs the import stores get {@link VerifiedBlobRecords records}, as a pull's do.
 */
final class ArchiveBaseImport {
  private static final int HASH_BUFFER = 1 << 20;

  private ArchiveBaseImport() {}

  /**
   * The cache tag of {@code archive}'s image: {@code archive+oci+sha256-HEX[+TAG]} or {@code
   * archive+docker+sha256-HEX[+NAME:TAG]}, the tag or name being the one the location gives. Reads
   * the whole archive to hash it.
   */
  static String tagFor(CopyLocation.Archive archive) throws IOException {
    String hex = sha256(archive.archive());
    if (archive instanceof CopyLocation.OciArchiveFile a) {
      return "archive+oci+sha256-" + hex + (a.tag() == null ? "" : "+" + a.tag());
    }
    String repoTag = ((CopyLocation.DockerArchiveFile) archive).repoTag();
    return "archive+docker+sha256-" + hex + (repoTag == null ? "" : "+" + repoTag);
  }

  /**
   * Imports {@code archive}'s image into the layout at {@code cache}, tagged {@code tag}; the
   * temporary layout is made below {@code TMPDIR} of {@code env} ({@link SpoolDirectory}) and
   * removed at the end.
   *
   * @return the image's manifest or index descriptor, as the cache now has it
   */
  static Descriptor run(
      CopyLocation.Archive archive, Path cache, String tag, Map<String, String> env)
      throws IOException {
    Path temp = Files.createTempDirectory(SpoolDirectory.parent(env), "umoci-base-archive-");
    try (ExitRemovals.Registration removal = ExitRemovals.register(temp)) {
      CopyLocation.Layout read = ArchiveCopy.read(archive, temp.resolve("layout"));
      if (archive instanceof CopyLocation.DockerArchiveFile) {
        read = compressed(read);
      }
      List<Digest> absent = absentBlobs(read, cache);
      Descriptor imported =
          LayoutCopy.run(read, new ImageRef(cache, tag), PlatformChoice.whole(), false)
              .descriptor();
      // What the copy stored it verified as it wrote: builds link those blobs unread, as they do
      // a pull's (BaseBlobs). Blobs the cache had already keep the records they have.
      VerifiedBlobRecords records = VerifiedBlobRecords.of(cache);
      try (OciLayout layout = OciLayout.open(cache)) {
        for (Digest digest : absent) {
          records.record(layout.blobPath(digest), digest);
        }
      }
      return imported;
    } finally {
      TreeRemover.direct().remove(temp);
    }
  }

  /**
   * The image of {@code read} (one manifest, as a docker archive gives) with its uncompressed
   * layers gzip-compressed, stored in the same layout under the same tag.
   */
  private static CopyLocation.Layout compressed(CopyLocation.Layout read) throws IOException {
    ImageRef image = read.image();
    try (OciLayout layout = OciLayout.open(image.layout())) {
      Descriptor top = References.resolve(layout, image.tag());
      Manifest manifest = ImageBlobs.manifest(layout, top);
      List<Descriptor> layers = new ArrayList<>();
      for (Descriptor layer : manifest.layers()) {
        layers.add(
            GzipLayer.isPlain(layer.mediaType())
                ? GzipLayer.compress(layout, layer, layout)
                : layer);
      }
      Descriptor manifestDescriptor =
          layout.putJson(MediaTypes.IMAGE_MANIFEST, Manifest.of(manifest.config(), layers));
      References.update(layout, image.tag(), manifestDescriptor);
    }
    return read;
  }

  /** The blobs of {@code read}'s image (or index) that the layout at {@code cache} lacks. */
  private static List<Digest> absentBlobs(CopyLocation.Layout read, Path cache) throws IOException {
    List<Digest> absent = new ArrayList<>();
    try (OciLayout from = OciLayout.open(read.image().layout());
        OciLayout to = OciLayout.open(cache)) {
      DescriptorWalk.walk(
          from,
          List.of(read.resolve(from)),
          d -> {
            if (d.data() == null && !to.hasBlob(d.digest())) {
              absent.add(d.digest());
            }
          });
    }
    return absent;
  }

  /** The SHA-256 of {@code file}'s bytes, in hex. */
  private static String sha256(Path file) throws IOException {
    MessageDigest sha = Digest.newSha256();
    ByteBuffer buffer = ByteBuffer.allocateDirect(HASH_BUFFER);
    try (FileChannel in = FileChannel.open(file)) {
      while (in.read(buffer) >= 0) {
        buffer.flip();
        sha.update(buffer);
        buffer.clear();
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
