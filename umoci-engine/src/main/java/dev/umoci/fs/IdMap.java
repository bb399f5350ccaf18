package dev.umoci.fs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.umoci.errors.InvalidArgumentException;

/**
 * One uid or gid mapping range, as in runtime-spec {@code linux.uidMappings} and umoci's {@code
 * --uid-map container:host[:size]} (size defaults to 1). JSON names match umoci.json.
 */
@JsonPropertyOrder({"containerID", "hostID", "size"})
public record IdMap(
    @JsonProperty("containerID") long containerId,
    @JsonProperty("hostID") long hostId,
    @JsonProperty("size") long size) {
  private static final long MAX_ID = 0xffffffffL;

  /** Parses {@code container:host[:size]}; each field must be a uint32. */
  public static IdMap parse(String text, String flag) throws InvalidArgumentException {
    String[] parts = text.split(":", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new InvalidArgumentException(
          "invalid " + flag + " \"" + text + "\": expected container:host[:size]");
    }
    long container = uint32(parts[0], text, flag);
    long host = uint32(parts[1], text, flag);
    long size = parts.length == 3 ? uint32(parts[2], text, flag) : 1;
    return new IdMap(container, host, size);
  }

  private static long uint32(String field, String text, String flag)
      throws InvalidArgumentException {
    try {
      long v = Long.parseLong(field);
      if (v >= 0 && v <= MAX_ID) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new InvalidArgumentException(
        "invalid " + flag + " \"" + text + "\": " + '"' + field + '"' + " is not a uint32");
  }

  /** The host id for {@code containerId}, or -1 when this range does not cover it. */
  public long toHost(long id) {
    return id >= containerId && id - containerId < size ? hostId + (id - containerId) : -1;
  }

  /** The container id for {@code hostId}, or -1 when this range does not cover it. */
  public long toContainer(long id) {
    return id >= hostId && id - hostId < size ? containerId + (id - hostId) : -1;
  }
}
