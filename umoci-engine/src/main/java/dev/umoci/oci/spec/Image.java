package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The image config blob ({@code application/vnd.oci.image.config.v1+json}). {@code created} is RFC
 * 3339 text. {@code config} and {@code rootfs} are always written; history only when present.
 */
@JsonPropertyOrder({
  "created",
  "author",
  "architecture",
  "os",
  "os.version",
  "os.features",
  "variant",
  "config",
  "rootfs",
  "history"
})
public record Image(
    @JsonProperty("created") @JsonInclude(JsonInclude.Include.NON_EMPTY) String created,
    @JsonProperty("author") @JsonInclude(JsonInclude.Include.NON_EMPTY) String author,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("os.version") @JsonInclude(JsonInclude.Include.NON_EMPTY) String osVersion,
    @JsonProperty("os.features") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<String> osFeatures,
    @JsonProperty("variant") @JsonInclude(JsonInclude.Include.NON_EMPTY) String variant,
    @JsonProperty("config") ImageConfig config,
    @JsonProperty("rootfs") RootFs rootfs,
    @JsonProperty("history") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<History> history) {

  public Image {
    config = config == null ? ImageConfig.empty() : config;
    rootfs = rootfs == null ? RootFs.layers(List.of()) : rootfs;
    history = history == null ? List.of() : List.copyOf(history);
  }

  public Image withConfig(ImageConfig newConfig) {
    return new Image(
        created,
        author,
        architecture,
        os,
        osVersion,
        osFeatures,
        variant,
        newConfig,
        rootfs,
        history);
  }

  public Image withRootFs(RootFs newRootFs) {
    return new Image(
        created,
        author,
        architecture,
        os,
        osVersion,
        osFeatures,
        variant,
        config,
        newRootFs,
        history);
  }

  public Image withHistory(List<History> newHistory) {
    return new Image(
        created,
        author,
        architecture,
        os,
        osVersion,
        osFeatures,
        variant,
        config,
        rootfs,
        newHistory);
  }
}
