package dev.umoci.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.umoci.errors.DigestMismatchException;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.fs.IdMapping;
import dev.umoci.layer.Compression;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.layer.TreeLayerWriter;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.sys.TreeRemover;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes one image of a layout as a {@code docker-archive} tar: what {@code docker load}, {@code
 * podman load} and {@code skopeo copy docker-archive:...} read (the format of {@code docker save}
 * and Jib's {@code buildTar}).
 *
 * <p>Content, in this order: {@code manifest.json} ({@code [{"Config", "RepoTags", "Layers"}]}),
 * the image config as {@code <hex>.json}, and each layer uncompressed as {@code
 * <diffid-hex>/layer.tar}, so that every runtime reads it whatever the OCI layer's compression
 * (older {@code docker load} does not know zstd). Each layer's uncompressed digest is checked
 * against the config's {@code rootfs.diff_ids}. Entries are owned by 0:0 and timed {@code
 * clampMtime} when given, so the same image gives the same archive bytes. The archive is written to
 * a temporary file (a work directory beside it holds the uncompressed layers) and renamed into
 * place; its mode follows the umask.
 */
public final class DockerArchive {
  private DockerArchive() {}

  /** A Docker repository name: lower-case path components, optionally after a registry host. */
  private static final Pattern REPOSITORY =
      Pattern.compile(
          "(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
              + "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

  /** A Docker tag. */
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  /**
   * @param image the image to write
   * @param archive the tar file to write (replaced if it exists)
   * @param repoTags names {@code docker load} gives the image ({@code repository:tag}); may be
   *     empty
   * @param clampMtime null keeps file times; otherwise every entry gets this time, whatever the
   *     time of its file (blobs linked from a cache keep the time they were pulled)
   */
  public record Options(ImageRef image, Path archive, List<String> repoTags, Instant clampMtime) {
    public Options {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(archive, "archive");
      repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
    }
  }

  /** {@code manifest.json}'s one entry. */
  @JsonPropertyOrder({"Config", "RepoTags", "Layers"})
  record Entry(
      @JsonProperty("Config") String config,
      @JsonProperty("RepoTags") List<String> repoTags,
      @JsonProperty("Layers") List<String> layers) {}

  /** Checks {@code repository:tag} as {@code docker load} would accept it. */
  public static void requireRepoTag(String repoTag) throws InvalidArgumentException {
    int colon = repoTag.lastIndexOf(':');
    boolean valid =
        colon > 0
            && !repoTag.substring(colon + 1).contains("/")
            && REPOSITORY.matcher(repoTag.substring(0, colon)).matches()
            && TAG.matcher(repoTag.substring(colon + 1)).matches();
    if (!valid) {
      throw new InvalidArgumentException(
          "invalid docker image name \""
              + repoTag
              + "\": expected repository:tag, the repository in lower case (a-z 0-9 . _ -,"
              + " components joined by /), the tag of at most 128 letters, digits, _ . -");
    }
  }

  /** Writes the archive; a failure leaves no file behind (nor the previous one changed). */
  public static void run(Options o) throws IOException {
    for (String repoTag : o.repoTags()) {
      requireRepoTag(repoTag);
    }
    try (ArchiveFile file = ArchiveFile.create(o.archive());
        OciLayout layout = OciLayout.open(o.image().layout())) {
      Descriptor manifestDescriptor =
          References.resolveManifest(layout, o.image().tag()).descriptor();
      Manifest manifest = layout.readJson(manifestDescriptor, Manifest.class);
      byte[] configBytes = layout.readBlob(manifest.config());
      Image image = Json.parse(configBytes, Image.class, "image config");
      List<Digest> diffIds = image.rootfs().diffIds();
      if (diffIds.size() != manifest.layers().size()) {
        throw new InvalidImageException(
            "image "
                + o.image()
                + ": config lists "
                + diffIds.size()
                + " diff_ids for "
                + manifest.layers().size()
                + " layers");
      }
      Path work =
          Files.createDirectory(file.temp().resolveSibling(file.temp().getFileName() + ".d"));
      try {
        writeArchive(o, file, layout, manifest, configBytes, diffIds, work);
      } finally {
        TreeRemover.direct().remove(work);
      }
      file.publish();
    }
  }

  private static void writeArchive(
      Options o,
      ArchiveFile file,
      OciLayout layout,
      Manifest manifest,
      byte[] configBytes,
      List<Digest> diffIds,
      Path work)
      throws IOException {
    String configName = manifest.config().digest().hex() + ".json";
    Files.write(work.resolve(configName), configBytes);
    List<String> layerNames = new ArrayList<>();
    Set<String> written = new LinkedHashSet<>();
    for (int i = 0; i < diffIds.size(); i++) {
      String dir = diffIds.get(i).hex();
      String name = dir + "/layer.tar";
      layerNames.add(name);
      if (written.add(dir)) {
        Path layerDir = Files.createDirectory(work.resolve(dir));
        uncompress(layout, manifest.layers().get(i), diffIds.get(i), layerDir.resolve("layer.tar"));
      }
    }
    byte[] entries = Json.toBytes(List.of(new Entry(configName, o.repoTags(), layerNames)));
    Files.write(work.resolve("manifest.json"), entries);

    GenerateOptions generate =
        new GenerateOptions(IdMapping.identity(), o.clampMtime(), 0, 0, false, true);
    try (OutputStream out = new BufferedOutputStream(file.open(), 1 << 16);
        TreeLayerWriter tar = new TreeLayerWriter(out, generate)) {
      tar.addTree(work.resolve("manifest.json"), "/manifest.json");
      tar.addTree(work.resolve(configName), "/" + configName);
      for (String dir : written) {
        tar.addTree(work.resolve(dir), "/" + dir);
      }
    }
  }

  /** Writes the uncompressed layer to {@code out}, checking it against {@code diffId}. */
  private static void uncompress(OciLayout layout, Descriptor layer, Digest diffId, Path out)
      throws IOException {
    Compression compression = Compression.ofMediaType(layer.mediaType());
    MessageDigest sha256 = Digest.newSha256();
    try (InputStream in = compression.decompress(layout.openBlob(layer));
        OutputStream plain =
            new DigestOutputStream(
                new BufferedOutputStream(Files.newOutputStream(out), 1 << 16), sha256)) {
      in.transferTo(plain);
    }
    Digest actual = Digest.ofSha256(sha256.digest());
    if (!actual.equals(diffId)) {
      throw new DigestMismatchException(
          "layer " + layer.digest() + " uncompresses to " + actual + ", not its diff_id " + diffId);
    }
  }
}
