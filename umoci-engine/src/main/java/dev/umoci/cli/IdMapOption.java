package dev.umoci.cli;

import dev.umoci.errors.UmociException;
import dev.umoci.fs.IdMap;
import dev.umoci.fs.IdMapping;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Mixin: {@code --uid-map}, {@code --gid-map} (repeatable) and {@code --rootless}. */
public final class IdMapOption {
  @Option(
      names = "--uid-map",
      paramLabel = "<value>",
      description = "specifies a uid mapping to use (container:host:size)")
  List<String> uidMaps = new ArrayList<>();

  @Option(
      names = "--gid-map",
      paramLabel = "<value>",
      description = "specifies a gid mapping to use (container:host:size)")
  List<String> gidMaps = new ArrayList<>();

  @Option(names = "--rootless", description = "enable rootless command support")
  boolean rootless;

  /** The parsed mapping, with umoci's rootless defaults. */
  public IdMapping mapping() throws UmociException {
    List<IdMap> uid = new ArrayList<>();
    for (String m : uidMaps) {
      uid.add(IdMap.parse(m, "--uid-map"));
    }
    List<IdMap> gid = new ArrayList<>();
    for (String m : gidMaps) {
      gid.add(IdMap.parse(m, "--gid-map"));
    }
    return IdMapping.of(uid, gid, rootless);
  }
}
