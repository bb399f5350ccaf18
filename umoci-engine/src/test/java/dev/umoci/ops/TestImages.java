package dev.umoci.ops;

import dev.umoci.layer.Compression;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.ImageConfig;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.RootFs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes test images straight into a layout, blob by blob, so that tests can also make broken ones
 * (wrong DiffIDs, foreign media types, other rootfs types).
 */
final class TestImages {
  private final List<byte[]> tars = new ArrayList<>();
  private final List<Compression> compressions = new ArrayList<>();
  private final List<String> mediaTypes = new ArrayList<>();
  private final List<Digest> diffIds = new ArrayList<>();
  private String rootfsType = RootFs.TYPE_LAYERS;
  private String configMediaType = MediaTypes.IMAGE_CONFIG;
  private String manifestMediaType = MediaTypes.IMAGE_MANIFEST;
  private ImageConfig config = ImageConfig.empty();
  private String architecture = "amd64";

  TestImages layer(byte[] plainTar, Compression compression) {
    tars.add(plainTar);
    compressions.add(compression);
    mediaTypes.add(compression.layerMediaType());
    diffIds.add(Digest.sha256(plainTar));
    return this;
  }

  /** Replaces the media type of the last layer's descriptor. */
  TestImages layerMediaType(String mediaType) {
    mediaTypes.set(mediaTypes.size() - 1, mediaType);
    return this;
  }

  /** Replaces the DiffID of the last layer in the config. */
  TestImages diffId(Digest diffId) {
    diffIds.set(diffIds.size() - 1, diffId);
    return this;
  }

  TestImages rootfsType(String type) {
    this.rootfsType = type;
    return this;
  }

  TestImages configMediaType(String mediaType) {
    this.configMediaType = mediaType;
    return this;
  }

  TestImages manifestMediaType(String mediaType) {
    this.manifestMediaType = mediaType;
    return this;
  }

  TestImages architecture(String architecture) {
    this.architecture = architecture;
    return this;
  }

  TestImages config(ImageConfig config) {
    this.config = config;
    return this;
  }

  /** Writes the blobs into {@code layoutDir} (created if missing) and tags the manifest. */
  Descriptor write(Path layoutDir, String tag) throws IOException {
    try (OciLayout layout =
        Files.exists(layoutDir) ? OciLayout.open(layoutDir) : OciLayout.create(layoutDir)) {
      List<Descriptor> layers = new ArrayList<>();
      for (int i = 0; i < tars.size(); i++) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = compressions.get(i).compress(compressed)) {
          out.write(tars.get(i));
        }
        Descriptor blob = layout.putBytes(mediaTypes.get(i), compressed.toByteArray());
        layers.add(blob);
      }
      Image image =
          new Image(
              "2024-01-02T03:04:05Z",
              null,
              architecture,
              "linux",
              null,
              null,
              null,
              config,
              new RootFs(rootfsType, diffIds),
              null);
      Descriptor configBlob = layout.putJson(configMediaType, image);
      Manifest manifest = new Manifest(2, manifestMediaType, null, configBlob, layers, null, null);
      Descriptor manifestBlob = layout.putJson(manifestMediaType, manifest);
      References.update(layout, tag, manifestBlob);
      return manifestBlob;
    }
  }
}
