package dev.umoci.oci.spec.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** One runtime-spec {@code mounts} entry. Empty type, source and options are omitted. */
@JsonPropertyOrder({"destination", "type", "source", "options"})
public record Mount(
    @JsonProperty("destination") @JsonInclude(JsonInclude.Include.ALWAYS) String destination,
    @JsonProperty("type") @JsonInclude(JsonInclude.Include.NON_EMPTY) String type,
    @JsonProperty("source") @JsonInclude(JsonInclude.Include.NON_EMPTY) String source,
    @JsonProperty("options") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> options) {

  public Mount {
    options = options == null ? List.of() : List.copyOf(options);
  }

  public Mount withOptions(List<String> newOptions) {
    return new Mount(destination, type, source, newOptions);
  }
}
