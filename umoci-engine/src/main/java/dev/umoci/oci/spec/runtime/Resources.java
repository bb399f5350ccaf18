package dev.umoci.oci.spec.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** runtime-spec {@code linux.resources}; umoci sets only the device cgroup rules. */
@JsonPropertyOrder({"devices"})
public record Resources(
    @JsonProperty("devices") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<DeviceCgroup> devices) {

  public Resources {
    devices = devices == null ? List.of() : List.copyOf(devices);
  }
}
