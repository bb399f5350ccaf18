package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** image-spec image index; also the shape of a layout's {@code index.json}. */
@JsonPropertyOrder({
  "schemaVersion",
  "mediaType",
  "artifactType",
  "manifests",
  "subject",
  "annotations"
})
public record Index(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") @JsonInclude(JsonInclude.Include.NON_EMPTY) String mediaType,
    @JsonProperty("artifactType") @JsonInclude(JsonInclude.Include.NON_EMPTY) String artifactType,
    @JsonProperty("manifests") List<Descriptor> manifests,
    @JsonProperty("subject") @JsonInclude(JsonInclude.Include.NON_NULL) Descriptor subject,
    @JsonProperty("annotations") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, String> annotations) {

  public Index {
    manifests = manifests == null ? List.of() : List.copyOf(manifests);
    annotations = annotations == null ? Map.of() : new TreeMap<>(annotations);
  }

  /** The empty index that {@code umoci init} writes. */
  public static Index empty() {
    return new Index(2, MediaTypes.IMAGE_INDEX, null, List.of(), null, null);
  }

  public Index withManifests(List<Descriptor> newManifests) {
    return new Index(schemaVersion, mediaType, artifactType, newManifests, subject, annotations);
  }

  // equals and hashCode are written out: a record's generated ones are bootstrapped through
  // invokedynamic (java.lang.runtime.ObjectMethods), which spins 7-8 method-handle classes on the
  // first call in every process, and the AOT cache does not keep them. Same contract: every
  // component compared with Objects.equals (primitives with ==), in declaration order.
  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof Index o
            && schemaVersion == o.schemaVersion
            && Objects.equals(mediaType, o.mediaType)
            && Objects.equals(artifactType, o.artifactType)
            && Objects.equals(manifests, o.manifests)
            && Objects.equals(subject, o.subject)
            && Objects.equals(annotations, o.annotations));
  }

  @Override
  public int hashCode() {
    return Objects.hash(schemaVersion, mediaType, artifactType, manifests, subject, annotations);
  }
}
