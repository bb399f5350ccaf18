package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** image-spec image manifest. {@code layers} is always written, as {@code []} when empty. */
@JsonPropertyOrder({
  "schemaVersion",
  "mediaType",
  "artifactType",
  "config",
  "layers",
  "subject",
  "annotations"
})
public record Manifest(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") @JsonInclude(JsonInclude.Include.NON_EMPTY) String mediaType,
    @JsonProperty("artifactType") @JsonInclude(JsonInclude.Include.NON_EMPTY) String artifactType,
    @JsonProperty("config") Descriptor config,
    @JsonProperty("layers") List<Descriptor> layers,
    @JsonProperty("subject") @JsonInclude(JsonInclude.Include.NON_NULL) Descriptor subject,
    @JsonProperty("annotations") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, String> annotations) {

  public Manifest {
    layers = layers == null ? List.of() : List.copyOf(layers);
    annotations = annotations == null ? Map.of() : new TreeMap<>(annotations);
  }

  /** A schema-2 OCI manifest with the given config and layers. */
  public static Manifest of(Descriptor config, List<Descriptor> layers) {
    return new Manifest(2, MediaTypes.IMAGE_MANIFEST, null, config, layers, null, null);
  }

  public Manifest withConfig(Descriptor newConfig) {
    return new Manifest(
        schemaVersion, mediaType, artifactType, newConfig, layers, subject, annotations);
  }

  public Manifest withLayers(List<Descriptor> newLayers) {
    return new Manifest(
        schemaVersion, mediaType, artifactType, config, newLayers, subject, annotations);
  }

  public Manifest withAnnotations(Map<String, String> newAnnotations) {
    return new Manifest(
        schemaVersion, mediaType, artifactType, config, layers, subject, newAnnotations);
  }
}
