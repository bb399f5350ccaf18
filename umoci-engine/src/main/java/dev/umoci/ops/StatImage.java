package dev.umoci.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.ImageBlobs;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.History;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code umoci stat}: the manifest, config and per-layer history of a tagged image. */
public final class StatImage {
  private StatImage() {}

  public record Options(ImageRef image) {}

  public static StatReport run(Options options) throws IOException {
    try (OciLayout layout = OciLayout.open(options.image().layout())) {
      DescriptorPath path = options.image().resolveManifest(layout);
      Descriptor manifestDescriptor = path.descriptor();
      Manifest manifest = ImageBlobs.manifest(layout, manifestDescriptor);
      JsonNode manifestBlob = ImageBlobs.rawJson(layout, manifestDescriptor);
      Descriptor configDescriptor = manifest.config();
      if (!MediaTypes.isImageConfig(configDescriptor.mediaType())) {
        byte[] raw = layout.readBlob(configDescriptor);
        JsonNode rawConfig = null;
        try {
          rawConfig = Json.parse(raw, JsonNode.class, "config " + configDescriptor.digest());
        } catch (InvalidImageException notJson) {
          // an artifact config that is not JSON is shown by descriptor only
        }
        return new StatReport(
            manifestDescriptor, manifest, manifestBlob, configDescriptor, null, rawConfig, null);
      }
      Image image = ImageBlobs.config(layout, configDescriptor);
      JsonNode configBlob = ImageBlobs.rawJson(layout, configDescriptor);
      List<StatReport.HistoryStat> history = new ArrayList<>();
      int layer = 0;
      for (History h : image.history()) {
        Descriptor layerDescriptor = null;
        Digest diffId = null;
        if (!h.isEmptyLayer()) {
          if (layer >= manifest.layers().size() || layer >= image.rootfs().diffIds().size()) {
            throw new InvalidImageException(
                "config "
                    + configDescriptor.digest()
                    + " has more non-empty history entries than layers");
          }
          layerDescriptor = manifest.layers().get(layer);
          diffId = image.rootfs().diffIds().get(layer);
          layer++;
        }
        history.add(new StatReport.HistoryStat(layerDescriptor, diffId, h));
      }
      return new StatReport(
          manifestDescriptor, manifest, manifestBlob, configDescriptor, image, configBlob, history);
    }
  }
}
