package dev.umoci.fs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.umoci.errors.UmociException;
import java.util.List;

/**
 * umoci's {@code map_options}: uid and gid maps plus the rootless flag. With no maps, ids are the
 * identity. JSON names match umoci.json so the record is stored there as is.
 */
@JsonPropertyOrder({"uid_mappings", "gid_mappings", "rootless"})
public record IdMapping(
    @JsonProperty("uid_mappings") @JsonInclude(JsonInclude.Include.ALWAYS) List<IdMap> uidMaps,
    @JsonProperty("gid_mappings") @JsonInclude(JsonInclude.Include.ALWAYS) List<IdMap> gidMaps,
    @JsonProperty("rootless") boolean rootless) {

  public IdMapping {
    uidMaps = uidMaps == null ? List.of() : List.copyOf(uidMaps);
    gidMaps = gidMaps == null ? List.of() : List.copyOf(gidMaps);
  }

  /** No mapping, not rootless. */
  public static IdMapping identity() {
    return new IdMapping(List.of(), List.of(), false);
  }

  /**
   * umoci's defaults: with {@code rootless} and no maps given, container 0 maps to the current user
   * and group ({@code 0:$(id -u):1}).
   */
  public static IdMapping of(List<IdMap> uidMaps, List<IdMap> gidMaps, boolean rootless)
      throws UmociException {
    if (rootless) {
      if (uidMaps.isEmpty()) {
        uidMaps = List.of(new IdMap(0, currentId("uid"), 1));
      }
      if (gidMaps.isEmpty()) {
        gidMaps = List.of(new IdMap(0, currentId("gid"), 1));
      }
    }
    return new IdMapping(uidMaps, gidMaps, rootless);
  }

  private static long currentId(String which) throws UmociException {
    try {
      Object v =
          java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:" + which);
      return ((Integer) v).longValue();
    } catch (java.io.IOException e) {
      throw new UmociException("cannot determine the current " + which, e);
    }
  }

  /** Container uid → host uid; unmapped ids are an error naming the id. */
  public int uidToHost(long uid) throws UmociException {
    return map(uidMaps, uid, true, "uid");
  }

  public int gidToHost(long gid) throws UmociException {
    return map(gidMaps, gid, true, "gid");
  }

  /** Host uid → container uid; unmapped ids are an error naming the id. */
  public int uidToContainer(long uid) throws UmociException {
    return map(uidMaps, uid, false, "uid");
  }

  public int gidToContainer(long gid) throws UmociException {
    return map(gidMaps, gid, false, "gid");
  }

  private static int map(List<IdMap> maps, long id, boolean toHost, String what)
      throws UmociException {
    if (maps.isEmpty()) {
      return (int) id;
    }
    for (IdMap m : maps) {
      long r = toHost ? m.toHost(id) : m.toContainer(id);
      if (r >= 0) {
        return (int) r;
      }
    }
    throw new UmociException(
        (toHost ? "container " : "host ")
            + what
            + " "
            + id
            + " is not covered by the "
            + what
            + " mapping");
  }
}
