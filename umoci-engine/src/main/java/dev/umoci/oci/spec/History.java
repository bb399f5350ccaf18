package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One image history entry. {@code created} is an RFC 3339 time kept as text so that foreign values
 * round-trip unchanged; {@code emptyLayer} is null (omitted) when false.
 */
@JsonPropertyOrder({"created", "created_by", "author", "comment", "empty_layer"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record History(
    @JsonProperty("created") String created,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("author") String author,
    @JsonProperty("comment") String comment,
    @JsonProperty("empty_layer") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean emptyLayer) {

  public History {
    if (Boolean.FALSE.equals(emptyLayer)) {
      emptyLayer = null;
    }
  }

  public boolean isEmptyLayer() {
    return Boolean.TRUE.equals(emptyLayer);
  }
}
