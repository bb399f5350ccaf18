package dev.umoci.oci.spec.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** runtime-spec {@code linux.resources.devices} entry (device cgroup allow/deny rule). */
@JsonPropertyOrder({"allow", "type", "major", "minor", "access"})
public record DeviceCgroup(
    @JsonProperty("allow") boolean allow,
    @JsonProperty("type") @JsonInclude(JsonInclude.Include.NON_EMPTY) String type,
    @JsonProperty("major") Long major,
    @JsonProperty("minor") Long minor,
    @JsonProperty("access") @JsonInclude(JsonInclude.Include.NON_EMPTY) String access) {

  /** The rule that denies {@code access} to every device. */
  public static DeviceCgroup denyAll(String access) {
    return new DeviceCgroup(false, null, null, null, access);
  }
}
