package dev.umoci.oci.spec.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** runtime-spec {@code linux.uidMappings} / {@code gidMappings} entry (uint32 values). */
@JsonPropertyOrder({"containerID", "hostID", "size"})
public record LinuxIdMapping(
    @JsonProperty("containerID") long containerId,
    @JsonProperty("hostID") long hostId,
    @JsonProperty("size") long size) {}
