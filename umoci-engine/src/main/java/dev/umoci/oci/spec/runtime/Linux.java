package dev.umoci.oci.spec.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * runtime-spec {@code linux}. umoci never writes {@code seccomp} (it removes every seccomp rule),
 * so that member is not modelled; a null {@code resources} is omitted.
 */
@JsonPropertyOrder({
  "uidMappings",
  "gidMappings",
  "resources",
  "namespaces",
  "maskedPaths",
  "readonlyPaths"
})
public record Linux(
    @JsonProperty("uidMappings") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<LinuxIdMapping> uidMappings,
    @JsonProperty("gidMappings") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<LinuxIdMapping> gidMappings,
    @JsonProperty("resources") Resources resources,
    @JsonProperty("namespaces") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<Namespace> namespaces,
    @JsonProperty("maskedPaths") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<String> maskedPaths,
    @JsonProperty("readonlyPaths") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<String> readonlyPaths) {

  public Linux {
    uidMappings = uidMappings == null ? List.of() : List.copyOf(uidMappings);
    gidMappings = gidMappings == null ? List.of() : List.copyOf(gidMappings);
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    maskedPaths = maskedPaths == null ? List.of() : List.copyOf(maskedPaths);
    readonlyPaths = readonlyPaths == null ? List.of() : List.copyOf(readonlyPaths);
  }

  public Linux withIdMappings(List<LinuxIdMapping> uids, List<LinuxIdMapping> gids) {
    return new Linux(uids, gids, resources, namespaces, maskedPaths, readonlyPaths);
  }

  public Linux withResources(Resources newResources) {
    return new Linux(
        uidMappings, gidMappings, newResources, namespaces, maskedPaths, readonlyPaths);
  }

  public Linux withNamespaces(List<Namespace> newNamespaces) {
    return new Linux(
        uidMappings, gidMappings, resources, newNamespaces, maskedPaths, readonlyPaths);
  }
}
