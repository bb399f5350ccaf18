package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/** The {@code rootfs} member of an image config: the DiffIDs of the layers, in order. */
@JsonPropertyOrder({"type", "diff_ids"})
public record RootFs(
    @JsonProperty("type") String type, @JsonProperty("diff_ids") List<Digest> diffIds) {
  public static final String TYPE_LAYERS = "layers";

  public RootFs {
    diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
  }

  public static RootFs layers(List<Digest> diffIds) {
    return new RootFs(TYPE_LAYERS, diffIds);
  }

  // Written out for the reason given in Digest: no invokedynamic bootstrap on the start path.
  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof RootFs o
            && Objects.equals(type, o.type)
            && Objects.equals(diffIds, o.diffIds));
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, diffIds);
  }
}
