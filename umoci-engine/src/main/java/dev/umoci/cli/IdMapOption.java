package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.UmociException;
import dev.umoci.fs.IdMap;
import dev.umoci.fs.IdMapping;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Option group: umoci's {@code --uid-map}, {@code --gid-map} (repeatable, {@code
 * container:host[:size]}) and {@code --rootless}. With {@code --rootless} and no maps, container
 * root maps to the current user and group.
 */
public final class IdMapOption {
  private final CommandSpec model = CommandModel.group(this);

  private final Value<List<String>> uidMaps =
      CommandModel.options("--uid-map")
          .initially(new ArrayList<>())
          .label("<map>")
          .description("specifies a uid mapping to use (container:host:size)")
          .on(model);

  private final Value<List<String>> gidMaps =
      CommandModel.options("--gid-map")
          .initially(new ArrayList<>())
          .label("<map>")
          .description("specifies a gid mapping to use (container:host:size)")
          .on(model);

  private final Value<Boolean> rootless =
      CommandModel.flag("--rootless").description("enable rootless command support").on(model);

  /** Adds the mapping flags to {@code command}. */
  IdMapOption(CommandSpec command) {
    CommandModel.addGroup(command, model);
  }

  /** The parsed maps with umoci's rootless defaults applied. */
  public IdMapping mapping() throws UmociException {
    List<IdMap> uids = new ArrayList<>();
    for (String m : uidMaps.value()) {
      uids.add(IdMap.parse(m, "--uid-map"));
    }
    List<IdMap> gids = new ArrayList<>();
    for (String m : gidMaps.value()) {
      gids.add(IdMap.parse(m, "--gid-map"));
    }
    return IdMapping.of(uids, gids, rootless.value());
  }
}
