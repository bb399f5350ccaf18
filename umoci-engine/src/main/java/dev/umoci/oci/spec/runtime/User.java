package dev.umoci.oci.spec.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * runtime-spec {@code process.user}. Ids are uint32 values held in {@code long}s. An empty {@code
 * additionalGids} list is omitted, as Go's {@code omitempty} does.
 */
@JsonPropertyOrder({"uid", "gid", "umask", "additionalGids"})
public record User(
    @JsonProperty("uid") long uid,
    @JsonProperty("gid") long gid,
    @JsonProperty("umask") Long umask,
    @JsonProperty("additionalGids") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<Long> additionalGids) {

  public User {
    additionalGids = additionalGids == null ? List.of() : List.copyOf(additionalGids);
  }
}
