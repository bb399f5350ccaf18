package dev.umoci.cli;

import dev.umoci.errors.UmociException;
import dev.umoci.fs.IdMap;
import dev.umoci.fs.IdMapping;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Mixin: umoci's {@code --uid-map}, {@code --gid-map} (repeatable, {@code container:host[:size]})
 * and {@code --rootless}. With {@code --rootless} and no maps, container root maps to the current
 * user and group.
 */
public final class IdMapOption {
  @Option(
      names = "--uid-map",
      paramLabel = "<map>",
      description = "specifies a uid mapping to use (container:host:size)")
  List<String> uidMaps = new ArrayList<>();

  @Option(
      names = "--gid-map",
      paramLabel = "<map>",
      description = "specifies a gid mapping to use (container:host:size)")
  List<String> gidMaps = new ArrayList<>();

  @Option(names = "--rootless", description = "enable rootless command support")
  boolean rootless;

  /** The parsed maps with umoci's rootless defaults applied. */
  public IdMapping mapping() throws UmociException {
    List<IdMap> uids = new ArrayList<>();
    for (String m : uidMaps) {
      uids.add(IdMap.parse(m, "--uid-map"));
    }
    List<IdMap> gids = new ArrayList<>();
    for (String m : gidMaps) {
      gids.add(IdMap.parse(m, "--gid-map"));
    }
    return IdMapping.of(uids, gids, rootless);
  }
}
