package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

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
}
