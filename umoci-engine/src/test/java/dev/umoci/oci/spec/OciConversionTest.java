package dev.umoci.oci.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.errors.UnconvertibleImageException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Docker schema 2 → OCI: only media types change; digests, sizes, urls and platforms stay. */
class OciConversionTest {
  static final String C = "sha256:" + "c".repeat(64);
  static final String L1 = "sha256:" + "1".repeat(64);
  static final String L2 = "sha256:" + "2".repeat(64);
  static final String L3 = "sha256:" + "3".repeat(64);
  static final String L4 = "sha256:" + "4".repeat(64);
  static final Digest SOURCE = Digest.sha256("source".getBytes(StandardCharsets.UTF_8));

  private static byte[] json(String s) {
    return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  private static String layer(String type, String digest, String extra) {
    return "{'mediaType':'" + type + "','size':10,'digest':'" + digest + "'" + extra + "}";
  }

  @Test
  void manifestTypesAreMappedAndEverythingElseKept() throws Exception {
    byte[] docker =
        json(
            "{'schemaVersion':2,'mediaType':'application/vnd.docker.distribution.manifest.v2+json',"
                + "'config':{'mediaType':'application/vnd.docker.container.image.v1+json',"
                + "'size':1469,'digest':'"
                + C
                + "'},'layers':["
                + layer("application/vnd.docker.image.rootfs.diff.tar.gzip", L1, "")
                + ","
                + layer(
                    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                    L2,
                    ",'urls':['https://example.com/layer']")
                + ","
                + layer("application/vnd.docker.image.rootfs.diff.tar", L3, "")
                + ","
                + layer("application/vnd.oci.image.layer.v1.tar+zstd", L4, "")
                + "]}");
    Manifest oci = OciConversion.manifest(docker, SOURCE);
    assertEquals(2, oci.schemaVersion());
    assertEquals("application/vnd.oci.image.manifest.v1+json", oci.mediaType());
    assertEquals(
        Descriptor.of("application/vnd.oci.image.config.v1+json", Digest.parse(C), 1469),
        oci.config());
    List<Descriptor> layers = oci.layers();
    assertEquals(
        List.of(
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.v1.tar",
            "application/vnd.oci.image.layer.v1.tar+zstd"),
        layers.stream().map(Descriptor::mediaType).toList());
    assertEquals(List.of(L1, L2, L3, L4), layers.stream().map(d -> d.digest().toString()).toList());
    assertEquals(List.of("https://example.com/layer"), layers.get(1).urls());
    assertEquals(List.of(10L, 10L, 10L, 10L), layers.stream().map(Descriptor::size).toList());

    // Written the way every OCI manifest is, and read back as one.
    JsonNode written = Json.parse(GoJson.encode(oci), JsonNode.class, "converted");
    assertEquals("application/vnd.oci.image.manifest.v1+json", written.get("mediaType").asText());
  }

  @Test
  void unknownLayerTypeIsAnErrorNamingTypeAndManifest() {
    byte[] docker =
        json(
            "{'schemaVersion':2,'mediaType':'application/vnd.docker.distribution.manifest.v2+json',"
                + "'config':{'mediaType':'application/vnd.docker.container.image.v1+json',"
                + "'size':1,'digest':'"
                + C
                + "'},'layers':["
                + layer("application/vnd.docker.image.rootfs.diff.tar.gzip", L1, "")
                + ","
                + layer("application/vnd.example.plugin.v1+tar", L2, "")
                + "]}");
    UnconvertibleImageException e =
        assertThrows(
            UnconvertibleImageException.class, () -> OciConversion.manifest(docker, SOURCE));
    assertTrue(e.getMessage().contains("application/vnd.example.plugin.v1+tar"), e.getMessage());
    assertTrue(e.getMessage().contains("manifest " + SOURCE), e.getMessage());
    assertTrue(e.getMessage().contains("layer " + L2), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void unknownConfigTypeIsAnError() {
    byte[] docker =
        json(
            "{'schemaVersion':2,'mediaType':'application/vnd.docker.distribution.manifest.v2+json',"
                + "'config':{'mediaType':'application/vnd.docker.plugin.v1+json',"
                + "'size':1,'digest':'"
                + C
                + "'},'layers':[]}");
    UnconvertibleImageException e =
        assertThrows(
            UnconvertibleImageException.class, () -> OciConversion.manifest(docker, SOURCE));
    assertTrue(e.getMessage().contains("config " + C), e.getMessage());
    assertTrue(e.getMessage().contains("application/vnd.docker.plugin.v1+json"), e.getMessage());
  }

  @Test
  void listBecomesAnIndexWithPlatformsKept() throws Exception {
    String amd = "sha256:" + "a".repeat(64);
    String arm = "sha256:" + "b".repeat(64);
    byte[] list =
        json(
            "{'schemaVersion':2,"
                + "'mediaType':'application/vnd.docker.distribution.manifest.list.v2+json',"
                + "'manifests':["
                + "{'mediaType':'application/vnd.docker.distribution.manifest.v2+json','size':7,"
                + "'digest':'"
                + amd
                + "','platform':{'architecture':'amd64','os':'linux'}},"
                + "{'mediaType':'application/vnd.docker.distribution.manifest.v2+json','size':8,"
                + "'digest':'"
                + arm
                + "','platform':{'architecture':'arm64','os':'linux','variant':'v8'}}]}");
    Descriptor convertedAmd =
        Descriptor.of(MediaTypes.IMAGE_MANIFEST, Digest.sha256(new byte[] {1}), 70);
    Index index = OciConversion.index(list, SOURCE, Map.of(Digest.parse(amd), convertedAmd));
    assertEquals(MediaTypes.IMAGE_INDEX, index.mediaType());
    Descriptor first = index.manifests().get(0);
    assertEquals(convertedAmd.digest(), first.digest());
    assertEquals(70, first.size());
    assertEquals(MediaTypes.IMAGE_MANIFEST, first.mediaType());
    assertEquals(new Platform("amd64", "linux", null, null, null, null), first.platform());
    // An entry not converted is kept as it is.
    Descriptor second = index.manifests().get(1);
    assertEquals(MediaTypes.DOCKER_MANIFEST_V2, second.mediaType());
    assertEquals(arm, second.digest().toString());
    assertEquals(new Platform("arm64", "linux", null, null, "v8", null), second.platform());
  }

  @Test
  void ociEquivalents() {
    assertEquals(MediaTypes.IMAGE_INDEX, MediaTypes.ociEquivalent(MediaTypes.DOCKER_MANIFEST_LIST));
    assertEquals(
        MediaTypes.IMAGE_MANIFEST, MediaTypes.ociEquivalent(MediaTypes.DOCKER_MANIFEST_V2));
    assertEquals(
        MediaTypes.LAYER_NONDISTRIBUTABLE_TAR,
        MediaTypes.ociEquivalent("application/vnd.docker.image.rootfs.foreign.diff.tar"));
    assertEquals("text/plain", MediaTypes.ociEquivalent("text/plain"));
    assertTrue(MediaTypes.isLayer("application/vnd.docker.image.rootfs.diff.tar.gzip"));
    assertTrue(!MediaTypes.isLayer(null) && !MediaTypes.isLayer("application/octet-stream"));
  }
}
