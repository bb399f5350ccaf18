package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/** image-spec {@code platform} object of a descriptor. */
@JsonPropertyOrder({"architecture", "os", "os.version", "os.features", "variant", "features"})
public record Platform(
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("os.version") @JsonInclude(JsonInclude.Include.NON_EMPTY) String osVersion,
    @JsonProperty("os.features") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<String> osFeatures,
    @JsonProperty("variant") @JsonInclude(JsonInclude.Include.NON_EMPTY) String variant,
    @JsonProperty("features") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> features) {

  // equals and hashCode are written out: a record's generated ones are bootstrapped through
  // invokedynamic (java.lang.runtime.ObjectMethods), which spins 7-8 method-handle classes on the
  // first call in every process, and the AOT cache does not keep them. Same contract: every
  // component compared with Objects.equals (primitives with ==), in declaration order.
  /**
   * The platform an image config records ({@code architecture}, {@code os}, {@code os.version},
   * {@code os.features}, {@code variant}), with {@code features} (which a config does not hold;
   * null: none), as an index entry for that image states it.
   */
  public static Platform of(Image image, List<String> features) {
    return new Platform(
        image.architecture(),
        image.os(),
        image.osVersion(),
        image.osFeatures(),
        image.variant(),
        features);
  }

  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof Platform o
            && Objects.equals(architecture, o.architecture)
            && Objects.equals(os, o.os)
            && Objects.equals(osVersion, o.osVersion)
            && Objects.equals(osFeatures, o.osFeatures)
            && Objects.equals(variant, o.variant)
            && Objects.equals(features, o.features));
  }

  @Override
  public int hashCode() {
    return Objects.hash(architecture, os, osVersion, osFeatures, variant, features);
  }
}
