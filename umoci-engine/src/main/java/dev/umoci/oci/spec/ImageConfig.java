package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The execution parameters of an image (the {@code config} member of the image config blob), with
 * image-spec field names. Every member is optional and omitted when empty.
 */
@JsonPropertyOrder({
  "User",
  "ExposedPorts",
  "Env",
  "Entrypoint",
  "Cmd",
  "Volumes",
  "WorkingDir",
  "Labels",
  "StopSignal",
  "ArgsEscaped"
})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageConfig(
    @JsonProperty("User") String user,
    @JsonProperty("ExposedPorts")
        @JsonSerialize(using = StringSetAsObject.Serializer.class)
        @JsonDeserialize(using = StringSetAsObject.Deserializer.class)
        Set<String> exposedPorts,
    @JsonProperty("Env") List<String> env,
    @JsonProperty("Entrypoint") List<String> entrypoint,
    @JsonProperty("Cmd") List<String> cmd,
    @JsonProperty("Volumes")
        @JsonSerialize(using = StringSetAsObject.Serializer.class)
        @JsonDeserialize(using = StringSetAsObject.Deserializer.class)
        Set<String> volumes,
    @JsonProperty("WorkingDir") String workingDir,
    @JsonProperty("Labels") Map<String, String> labels,
    @JsonProperty("StopSignal") String stopSignal,
    @JsonProperty("ArgsEscaped") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean argsEscaped) {

  /** An execution config with nothing set. */
  public static ImageConfig empty() {
    return new ImageConfig(null, null, null, null, null, null, null, null, null, null);
  }
}
