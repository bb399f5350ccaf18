package dev.umoci.oci.spec.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** runtime-spec {@code process.rlimits} entry (POSIX rlimit; values are uint64 in the spec). */
@JsonPropertyOrder({"type", "hard", "soft"})
public record Rlimit(
    @JsonProperty("type") String type,
    @JsonProperty("hard") long hard,
    @JsonProperty("soft") long soft) {}
