package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** image-spec {@code platform} object of a descriptor. */
@JsonPropertyOrder({"architecture", "os", "os.version", "os.features", "variant", "features"})
public record Platform(
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("os.version") @JsonInclude(JsonInclude.Include.NON_EMPTY) String osVersion,
    @JsonProperty("os.features") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<String> osFeatures,
    @JsonProperty("variant") @JsonInclude(JsonInclude.Include.NON_EMPTY) String variant,
    @JsonProperty("features") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> features) {}
