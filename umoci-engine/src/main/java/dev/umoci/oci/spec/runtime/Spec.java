package dev.umoci.oci.spec.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The top level of a runtime-spec {@code config.json}. Annotations are kept sorted (Go writes map
 * keys sorted).
 */
@JsonPropertyOrder({"ociVersion", "process", "root", "hostname", "mounts", "annotations", "linux"})
public record Spec(
    @JsonProperty("ociVersion") @JsonInclude(JsonInclude.Include.ALWAYS) String ociVersion,
    @JsonProperty("process") Process process,
    @JsonProperty("root") Root root,
    @JsonProperty("hostname") @JsonInclude(JsonInclude.Include.NON_EMPTY) String hostname,
    @JsonProperty("mounts") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Mount> mounts,
    @JsonProperty("annotations") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, String> annotations,
    @JsonProperty("linux") Linux linux) {

  /**
   * The runtime-spec version umoci 0.6.0 writes ({@code ociVersion}). umoci 0.4.7 wrote {@code
   * 1.0.0}; umoci's unreleased HEAD vendors 1.3.0.
   */
  public static final String VERSION = "1.2.1";

  public Spec {
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    annotations = annotations == null ? Map.of() : new TreeMap<>(annotations);
  }

  public Spec withProcess(Process newProcess) {
    return new Spec(ociVersion, newProcess, root, hostname, mounts, annotations, linux);
  }

  public Spec withRoot(Root newRoot) {
    return new Spec(ociVersion, process, newRoot, hostname, mounts, annotations, linux);
  }

  public Spec withMounts(List<Mount> newMounts) {
    return new Spec(ociVersion, process, root, hostname, newMounts, annotations, linux);
  }

  public Spec withAnnotations(Map<String, String> newAnnotations) {
    return new Spec(ociVersion, process, root, hostname, mounts, newAnnotations, linux);
  }

  public Spec withLinux(Linux newLinux) {
    return new Spec(ociVersion, process, root, hostname, mounts, annotations, newLinux);
  }
}
