package dev.umoci.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.umoci.errors.InvalidBundleException;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.fs.IdMap;
import dev.umoci.fs.IdMapping;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.GoJson;
import dev.umoci.oci.spec.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A bundle's {@code umoci.json}: the descriptor walk from {@code index.json} to the manifest that
 * was unpacked, and the id-mapping options used, so that {@code repack} maps ids back the same way.
 *
 * <p>Written byte for byte as umoci writes it ({@code json.Encoder}: compact, trailing newline,
 * version {@code "2"}, {@code "uid_mappings":null} when there is no map, {@code "whiteout_mode":0}
 * as umoci 0.4.7 writes it; 0.6 omits the zero value, both read either form).
 */
public record BundleMeta(List<Descriptor> descriptorWalk, IdMapping mapOptions) {
  /** The only {@code umoci_version} umoci reads and writes. */
  public static final String VERSION = "2";

  public BundleMeta {
    if (descriptorWalk == null || descriptorWalk.isEmpty()) {
      throw new IllegalArgumentException("a bundle's descriptor walk cannot be empty");
    }
    descriptorWalk = List.copyOf(descriptorWalk);
    mapOptions = mapOptions == null ? IdMapping.identity() : mapOptions;
  }

  /** The descriptor of the manifest the bundle was unpacked from (the end of the walk). */
  public Descriptor manifest() {
    return descriptorWalk.get(descriptorWalk.size() - 1);
  }

  /** This metadata for a bundle now based on another walk (repack {@code --refresh-bundle}). */
  public BundleMeta withDescriptorWalk(List<Descriptor> newWalk) {
    return new BundleMeta(newWalk, mapOptions);
  }

  /** The exact bytes of {@code umoci.json}. */
  public byte[] toBytes() {
    return GoJson.encode(
        new Wire(
            VERSION,
            new Walk(descriptorWalk),
            new MapOptions(
                nullIfEmpty(mapOptions.uidMaps()),
                nullIfEmpty(mapOptions.gidMaps()),
                mapOptions.rootless()),
            0));
  }

  /** Writes {@code bundle/umoci.json} atomically. */
  public void write(Path bundle) throws IOException {
    AtomicFiles.write(new BundlePaths(bundle).metaJson(), toBytes());
  }

  /**
   * Reads {@code bundle/umoci.json}. A missing or malformed file, a version other than {@code "2"}
   * or a non-zero {@code whiteout_mode} is an {@link InvalidBundleException} naming the file.
   */
  public static BundleMeta read(Path bundle) throws IOException {
    Path path = new BundlePaths(bundle).metaJson();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new InvalidBundleException(path + " does not exist: not a bundle unpacked by umoci", e);
    }
    return parse(bytes, path.toString());
  }

  /** Parses umoci.json content; {@code what} names its source in error messages. */
  public static BundleMeta parse(byte[] bytes, String what) throws InvalidBundleException {
    Wire wire;
    try {
      wire = Json.parse(bytes, Wire.class, what);
    } catch (InvalidImageException e) {
      throw new InvalidBundleException(e.getMessage(), e);
    }
    if (!VERSION.equals(wire.version())) {
      throw new InvalidBundleException(
          what + ": unsupported umoci.json version " + quote(wire.version()));
    }
    if (wire.whiteoutMode() != null && wire.whiteoutMode() != 0) {
      throw new InvalidBundleException(
          what + ": deprecated (broken) whiteout_mode field set (" + wire.whiteoutMode() + ")");
    }
    if (wire.from() == null || wire.from().walk() == null || wire.from().walk().isEmpty()) {
      throw new InvalidBundleException(what + ": from_descriptor_path has no descriptor_walk");
    }
    MapOptions map =
        wire.mapOptions() == null ? new MapOptions(null, null, false) : wire.mapOptions();
    return new BundleMeta(
        wire.from().walk(), new IdMapping(map.uidMaps(), map.gidMaps(), map.rootless()));
  }

  private static List<IdMap> nullIfEmpty(List<IdMap> maps) {
    return maps.isEmpty() ? null : maps;
  }

  private static String quote(String s) {
    return s == null ? "null" : '"' + s + '"';
  }

  @JsonPropertyOrder({"umoci_version", "from_descriptor_path", "map_options", "whiteout_mode"})
  record Wire(
      @JsonProperty("umoci_version") String version,
      @JsonProperty("from_descriptor_path") Walk from,
      @JsonProperty("map_options") MapOptions mapOptions,
      @JsonProperty("whiteout_mode") Integer whiteoutMode) {}

  record Walk(@JsonProperty("descriptor_walk") List<Descriptor> walk) {}

  @JsonPropertyOrder({"uid_mappings", "gid_mappings", "rootless"})
  record MapOptions(
      @JsonProperty("uid_mappings") @JsonInclude(JsonInclude.Include.ALWAYS) List<IdMap> uidMaps,
      @JsonProperty("gid_mappings") @JsonInclude(JsonInclude.Include.ALWAYS) List<IdMap> gidMaps,
      @JsonProperty("rootless") boolean rootless) {}
}
