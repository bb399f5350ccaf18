package dev.umoci.oci.spec.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** runtime-spec {@code process.capabilities}: the five Linux capability sets. */
@JsonPropertyOrder({"bounding", "effective", "inheritable", "permitted", "ambient"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Capabilities(
    @JsonProperty("bounding") List<String> bounding,
    @JsonProperty("effective") List<String> effective,
    @JsonProperty("inheritable") List<String> inheritable,
    @JsonProperty("permitted") List<String> permitted,
    @JsonProperty("ambient") List<String> ambient) {

  public Capabilities {
    bounding = bounding == null ? List.of() : List.copyOf(bounding);
    effective = effective == null ? List.of() : List.copyOf(effective);
    inheritable = inheritable == null ? List.of() : List.copyOf(inheritable);
    permitted = permitted == null ? List.of() : List.copyOf(permitted);
    ambient = ambient == null ? List.of() : List.copyOf(ambient);
  }

  /** The same capabilities in all five sets. */
  public static Capabilities all(List<String> capabilities) {
    return new Capabilities(capabilities, capabilities, capabilities, capabilities, capabilities);
  }
}
