package dev.umoci.oci.spec.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** runtime-spec {@code linux.namespaces} entry; {@code path} joins an existing namespace. */
@JsonPropertyOrder({"type", "path"})
public record Namespace(
    @JsonProperty("type") String type,
    @JsonProperty("path") @JsonInclude(JsonInclude.Include.NON_EMPTY) String path) {

  public static final String CGROUP = "cgroup";
  public static final String PID = "pid";
  public static final String NETWORK = "network";
  public static final String IPC = "ipc";
  public static final String UTS = "uts";
  public static final String MOUNT = "mount";
  public static final String USER = "user";

  /** A new namespace of {@code type}. */
  public static Namespace of(String type) {
    return new Namespace(type, null);
  }
}
