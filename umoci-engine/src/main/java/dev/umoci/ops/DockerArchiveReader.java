package dev.umoci.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.errors.ReferenceNotFoundException;
import dev.umoci.layer.TarEntry;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.BlobWriter;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.sys.PathBytes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code docker save} tar (skopeo's {@code docker-archive} source; the format Docker writes
 * with and without its containerd image store) into a new layout as one OCI image. Nothing in the
 * archive is used as a path: every regular file is stored as a blob under the digest computed here,
 * keyed by its name in the archive, and symbolic and hard links (which {@code docker save} writes
 * for repeated layers) are followed among those names only. {@code manifest.json} then names the
 * config and the layers; an uncompressed layer must hash to its {@code diff_id} in the config, and
 * a compressed one (gzip or zstd, recognised by its first bytes) keeps its media type, its {@code
 * diff_id} checked when it is unpacked. The image is stored as an OCI manifest over the same config
 * bytes.
 */
final class DockerArchiveReader {
  private static final String MANIFEST = "manifest.json";

  private DockerArchiveReader() {}

  /**
   * Stores the image of {@code archive} named {@code repoTag} (the only one when null) in a layout
   * created at {@code dir}, tagged {@code tag}.
   *
   * @throws InvalidLayoutException naming {@code archive} and what in it is wrong
   * @throws ReferenceNotFoundException when no image (or several, {@code repoTag} being null) fits
   */
  static void read(Path archive, String repoTag, Path dir, String tag) throws IOException {
    InputLimits limits = InputLimits.fromSystemProperties();
    String where = "docker-archive " + archive + ": ";
    try (OciLayout layout = OciLayout.create(dir)) {
      Map<String, Descriptor> files = new HashMap<>();
      Map<String, String> links = new HashMap<>();
      try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
          ArchiveTarReader tar = new ArchiveTarReader(in, limits, where)) {
        for (TarEntry e; (e = tar.next()) != null; ) {
          String name = normal(new String(e.name(), StandardCharsets.UTF_8));
          switch (e.type()) {
            case REGULAR -> {
              try (BlobWriter w = layout.newBlob()) {
                tar.transferContent(w);
                files.put(name, w.commit().descriptor(MediaTypes.LAYER_TAR));
              }
            }
            case SYMLINK -> links.put(name, sibling(name, linkText(e)));
            case HARDLINK -> links.put(name, normal(linkText(e)));
            default -> {
              // directories and anything else docker save does not write: not needed
            }
          }
        }
      }
      Descriptor manifestFile = find(files, links, MANIFEST);
      if (manifestFile == null) {
        throw new InvalidLayoutException(where + "not a docker archive: no " + MANIFEST);
      }
      limits.checkJsonSize(manifestFile.size(), where + MANIFEST);
      JsonNode entries;
      try {
        entries = Json.mapper().readTree(layout.readBlob(manifestFile));
      } catch (com.fasterxml.jackson.core.JacksonException e) {
        throw new InvalidLayoutException(
            where + MANIFEST + " is not JSON: " + e.getOriginalMessage());
      }
      JsonNode entry = choose(entries, repoTag, where);
      Descriptor configFile = named(files, links, entry.path("Config"), where, "its config");
      limits.checkJsonSize(configFile.size(), where + "config");
      Image config =
          Json.parse(layout.readBlob(configFile), Image.class, where + entry.path("Config"));
      List<Digest> diffIds = config.rootfs().diffIds();
      JsonNode layerNames = entry.path("Layers");
      if (!layerNames.isArray() || layerNames.size() != diffIds.size()) {
        throw new InvalidLayoutException(
            where
                + "the image has "
                + layerNames.size()
                + " layers in "
                + MANIFEST
                + " and "
                + diffIds.size()
                + " diff_ids in its config");
      }
      List<Descriptor> layers = new ArrayList<>();
      for (int i = 0; i < diffIds.size(); i++) {
        Descriptor file = named(files, links, layerNames.get(i), where, "layer " + (i + 1));
        String mediaType = layerType(layout, file);
        if (mediaType.equals(MediaTypes.LAYER_TAR) && !file.digest().equals(diffIds.get(i))) {
          throw new InvalidLayoutException(
              where
                  + "layer "
                  + layerNames.get(i).asText()
                  + " has digest "
                  + file.digest()
                  + ", its config says "
                  + diffIds.get(i));
        }
        layers.add(Descriptor.of(mediaType, file.digest(), file.size()));
      }
      Descriptor configDescriptor =
          Descriptor.of(MediaTypes.IMAGE_CONFIG, configFile.digest(), configFile.size());
      Descriptor manifest =
          layout.putJson(MediaTypes.IMAGE_MANIFEST, Manifest.of(configDescriptor, layers));
      References.update(layout, tag, manifest);
    }
  }

  /** The entry of {@code manifest.json} named {@code repoTag}, or its only one when null. */
  private static JsonNode choose(JsonNode entries, String repoTag, String where)
      throws IOException {
    if (!entries.isArray() || entries.isEmpty()) {
      throw new InvalidLayoutException(where + MANIFEST + " lists no image");
    }
    if (repoTag == null) {
      if (entries.size() > 1) {
        throw new ReferenceNotFoundException(
            where
                + "holds "
                + entries.size()
                + " images: name one as docker-archive:PATH:NAME:TAG");
      }
      return entries.get(0);
    }
    for (JsonNode e : entries) {
      for (JsonNode name : e.path("RepoTags")) {
        if (familiar(name.asText()).equals(familiar(repoTag))) {
          return e;
        }
      }
    }
    throw new ReferenceNotFoundException(where + "no image named " + repoTag);
  }

  /** {@code name} as Docker shows it: without {@code docker.io/} and {@code library/}. */
  private static String familiar(String name) {
    String n = name.startsWith("docker.io/") ? name.substring("docker.io/".length()) : name;
    return n.startsWith("library/") ? n.substring("library/".length()) : n;
  }

  /** The stored file {@code name} (a JSON string of {@code manifest.json}) leads to. */
  private static Descriptor named(
      Map<String, Descriptor> files,
      Map<String, String> links,
      JsonNode name,
      String where,
      String what)
      throws InvalidLayoutException {
    Descriptor d = name.isTextual() ? find(files, links, normal(name.asText())) : null;
    if (d == null) {
      throw new InvalidLayoutException(
          where + MANIFEST + " names " + what + " " + name + ", which the archive does not hold");
    }
    return d;
  }

  /** The file {@code name} is, following links (at most 16). */
  private static Descriptor find(
      Map<String, Descriptor> files, Map<String, String> links, String name) {
    for (int hops = 0; name != null && hops <= 16; hops++) {
      Descriptor d = files.get(name);
      if (d != null) {
        return d;
      }
      name = links.get(name);
    }
    return null;
  }

  /** A layer's media type, by its first bytes: gzip, zstd or a plain tar. */
  private static String layerType(OciLayout layout, Descriptor file) throws IOException {
    byte[] magic = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(layout.blobPath(file.digest()))) {
      n = in.readNBytes(magic, 0, 4);
    }
    if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return MediaTypes.LAYER_TAR_GZIP;
    }
    if (n == 4
        && (magic[0] & 0xff) == 0x28
        && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      return MediaTypes.LAYER_TAR_ZSTD;
    }
    return MediaTypes.LAYER_TAR;
  }

  private static String linkText(TarEntry e) {
    return new String(e.linkName(), StandardCharsets.UTF_8);
  }

  /** The archive name a symbolic link at {@code name} to {@code target} leads to. */
  private static String sibling(String name, String target) {
    if (target.startsWith("/")) {
      return normal(target);
    }
    int slash = name.lastIndexOf('/');
    return normal(slash < 0 ? target : name.substring(0, slash + 1) + target);
  }

  /**
   * {@code name} cleaned as the engine cleans every tar name ({@link PathBytes#cleanComponents}).
   */
  private static String normal(String name) {
    List<String> parts = new ArrayList<>();
    for (byte[] part : PathBytes.cleanComponents(name.getBytes(StandardCharsets.UTF_8))) {
      parts.add(new String(part, StandardCharsets.UTF_8));
    }
    return String.join("/", parts);
  }
}
