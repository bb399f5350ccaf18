package dev.umoci.oci.spec.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** runtime-spec {@code root}: the rootfs path, relative to the bundle, and its read-only flag. */
@JsonPropertyOrder({"path", "readonly"})
public record Root(
    @JsonProperty("path") @JsonInclude(JsonInclude.Include.ALWAYS) String path,
    @JsonProperty("readonly") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean readonly) {}
