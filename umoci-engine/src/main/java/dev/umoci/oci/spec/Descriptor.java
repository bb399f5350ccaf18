package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * image-spec content descriptor. {@code data} holds the decoded bytes of the optional embedded
 * base64 payload. Annotations are kept sorted so that serialisation is deterministic.
 */
@JsonPropertyOrder({
  "mediaType",
  "digest",
  "size",
  "urls",
  "annotations",
  "data",
  "platform",
  "artifactType"
})
public record Descriptor(
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("digest") Digest digest,
    @JsonProperty("size") long size,
    @JsonProperty("urls") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> urls,
    @JsonProperty("annotations") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, String> annotations,
    @JsonProperty("data") @JsonInclude(JsonInclude.Include.NON_NULL) byte[] data,
    @JsonProperty("platform") @JsonInclude(JsonInclude.Include.NON_NULL) Platform platform,
    @JsonProperty("artifactType") @JsonInclude(JsonInclude.Include.NON_EMPTY) String artifactType) {

  public Descriptor {
    annotations = annotations == null ? Map.of() : new TreeMap<>(annotations);
    urls = urls == null ? List.of() : List.copyOf(urls);
  }

  /** A plain descriptor with no annotations. */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, null, null, null, null, null);
  }

  /** This descriptor with {@code mediaType} replaced (itself when it has that type already). */
  public Descriptor withMediaType(String newMediaType) {
    return Objects.equals(newMediaType, mediaType)
        ? this
        : new Descriptor(
            newMediaType, digest, size, urls, annotations, data, platform, artifactType);
  }

  /** This descriptor with {@code annotations} replaced. */
  public Descriptor withAnnotations(Map<String, String> newAnnotations) {
    return new Descriptor(
        mediaType, digest, size, urls, newAnnotations, data, platform, artifactType);
  }

  /** This descriptor with one annotation set (or removed when {@code value} is null). */
  public Descriptor withAnnotation(String key, String value) {
    Map<String, String> copy = new TreeMap<>(annotations);
    if (value == null) {
      copy.remove(key);
    } else {
      copy.put(key, value);
    }
    return withAnnotations(copy);
  }

  /** The tag this top-level index entry carries, or null. */
  public String refName() {
    return annotations.get(MediaTypes.ANNOTATION_REF_NAME);
  }

  // equals and hashCode are written out: a record's generated ones are bootstrapped through
  // invokedynamic (java.lang.runtime.ObjectMethods), which spins 7-8 method-handle classes on the
  // first call in every process, and the AOT cache does not keep them. Same contract: every
  // component compared with Objects.equals (primitives with ==), in declaration order.
  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof Descriptor o
            && Objects.equals(mediaType, o.mediaType)
            && Objects.equals(digest, o.digest)
            && size == o.size
            && Objects.equals(urls, o.urls)
            && Objects.equals(annotations, o.annotations)
            && Objects.equals(data, o.data)
            && Objects.equals(platform, o.platform)
            && Objects.equals(artifactType, o.artifactType));
  }

  @Override
  public int hashCode() {
    return Objects.hash(mediaType, digest, size, urls, annotations, data, platform, artifactType);
  }
}
