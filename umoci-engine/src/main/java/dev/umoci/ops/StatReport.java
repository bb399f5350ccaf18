package dev.umoci.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.History;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.ImageConfig;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.Platform;
import dev.umoci.oci.spec.Rfc3339;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What {@code umoci stat} shows: the result of {@link StatImage}. {@link #toJson()} is umoci 0.6's
 * stable JSON form; {@link #format()} the human-readable one (not stable, like umoci's).
 *
 * @param image the parsed config, or null when the config is not an image config
 * @param configBlob the raw config JSON, or null when it is not JSON
 * @param history one entry per config history entry, or null when there is no image config
 */
public record StatReport(
    Descriptor manifestDescriptor,
    Manifest manifest,
    JsonNode manifestBlob,
    Descriptor configDescriptor,
    Image image,
    JsonNode configBlob,
    List<HistoryStat> history) {

  /** A history entry with the layer it produced (null for empty layers). */
  public record HistoryStat(Descriptor layer, Digest diffId, History history) {}

  /**
   * {@code {"manifest":{"descriptor","blob"},"config":{"descriptor","blob"},"history":[{"layer",
   * "diff_id",...history}]}}.
   */
  public ObjectNode toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode m = root.putObject("manifest");
    m.set("descriptor", Json.toTree(manifestDescriptor));
    m.set("blob", manifestBlob);
    if (image == null) {
      // umoci 0.6: an artifact without an image config has no "config" and no "history"
      return root;
    }
    ObjectNode c = root.putObject("config");
    c.set("descriptor", Json.toTree(configDescriptor));
    if (configBlob != null) {
      c.set("blob", configBlob);
    }
    if (history != null) {
      ArrayNode h = root.putArray("history");
      for (HistoryStat entry : history) {
        ObjectNode e = h.addObject();
        if (entry.layer() == null) {
          e.putNull("layer");
        } else {
          e.set("layer", Json.toTree(entry.layer()));
        }
        e.put("diff_id", entry.diffId() == null ? "" : entry.diffId().toString());
        ObjectNode hist = (ObjectNode) Json.toTree(entry.history());
        if (hist.hasNonNull("created")) {
          hist.put("created", goTime(hist.get("created").asText()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = hist.fields(); it.hasNext(); ) {
          var field = it.next();
          e.set(field.getKey(), field.getValue());
        }
      }
    }
    return root;
  }

  /** The human-readable form, modelled on umoci 0.6's. */
  public String format() {
    StringBuilder out = new StringBuilder("== MANIFEST ==\n");
    pprint(out, "", "Schema Version", Integer.toString(manifest.schemaVersion()));
    pprint(out, "", "Media Type", manifest.mediaType() == null ? "" : manifest.mediaType());
    if (manifest.artifactType() != null) {
      pprint(out, "", "Artifact Type", manifest.artifactType());
    }
    pprint(out, "", "Config");
    descriptor(out, "\t", manifest.config());
    if (!manifest.layers().isEmpty()) {
      pprint(out, "", "Layers");
      for (Descriptor layer : manifest.layers()) {
        descriptor(out, "\t", layer);
      }
    }
    if (manifest.subject() != null) {
      pprint(out, "", "Subject");
      descriptor(out, "\t", manifest.subject());
    }
    if (!manifest.annotations().isEmpty()) {
      map(out, "", "Annotations", manifest.annotations());
    }
    descriptor(out, "", manifestDescriptor);
    if (image == null) {
      // umoci 0.6 shows no CONFIG and no HISTORY section where there is no image config
      return out.toString();
    }
    out.append("\n== CONFIG ==\n");
    {
      if (image.created() != null) {
        pprint(out, "", "Created", goTime(image.created()));
      }
      pprint(out, "", "Author", image.author() == null ? "" : image.author());
      platform(out, "", Platform.of(image, null));
      imageConfig(out, "", image.config());
    }
    descriptor(out, "", configDescriptor);
    if (history != null) {
      out.append("\n== HISTORY ==\n");
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"LAYER", "CREATED", "CREATED BY", "SIZE", "COMMENT"});
      for (HistoryStat h : history) {
        History e = h.history();
        rows.add(
            new String[] {
              h.layer() == null ? "<none>" : h.layer().digest().toString(),
              quote(goTime(e.created() == null ? "" : e.created()), false),
              quote(e.createdBy() == null ? "" : e.createdBy(), false),
              h.layer() == null ? "<none>" : humanSize(h.layer().size()),
              quote(e.comment() == null ? "" : e.comment(), false)
            });
      }
      table(out, rows);
    }
    return out.toString();
  }

  private static void imageConfig(StringBuilder out, String prefix, ImageConfig c) {
    pprint(out, prefix, "Image Config");
    String p = prefix + "\t";
    pprint(out, p, "User", c.user() == null ? "" : c.user());
    String escaped = Boolean.TRUE.equals(c.argsEscaped()) ? " (escaped)" : "";
    if (c.entrypoint() != null && !c.entrypoint().isEmpty()) {
      slice(out, p, "Entrypoint" + escaped, c.entrypoint());
    }
    slice(out, p, "Command" + escaped, c.cmd());
    if (c.workingDir() != null && !c.workingDir().isEmpty()) {
      pprint(out, p, "Working Directory", c.workingDir());
    }
    if (c.env() != null && !c.env().isEmpty()) {
      slice(out, p, "Environment", c.env());
    }
    if (c.stopSignal() != null && !c.stopSignal().isEmpty()) {
      pprint(out, p, "Stop Signal", c.stopSignal());
    }
    if (c.exposedPorts() != null && !c.exposedPorts().isEmpty()) {
      pprint(out, p, "Exposed Ports", c.exposedPorts().toArray(String[]::new));
    }
    if (c.volumes() != null && !c.volumes().isEmpty()) {
      pprint(out, p, "Volumes", c.volumes().toArray(String[]::new));
    }
    if (c.labels() != null && !c.labels().isEmpty()) {
      map(out, p, "Labels", c.labels());
    }
  }

  private static void platform(StringBuilder out, String prefix, Platform platform) {
    pprint(out, prefix, "Platform");
    String p = prefix + "\t";
    pprint(out, p, "OS", platform.os() == null ? "" : platform.os());
    if (platform.osVersion() != null && !platform.osVersion().isEmpty()) {
      pprint(out, p, "OS Version", platform.osVersion());
    }
    if (platform.osFeatures() != null && !platform.osFeatures().isEmpty()) {
      pprint(out, p, "OS Features", platform.osFeatures().toArray(String[]::new));
    }
    String arch = quote(platform.architecture() == null ? "" : platform.architecture(), true);
    if (platform.variant() != null && !platform.variant().isEmpty()) {
      arch += " (" + quote(platform.variant(), false) + ")";
    }
    out.append(p).append("Architecture: ").append(arch).append('\n');
  }

  private static void descriptor(StringBuilder out, String prefix, Descriptor d) {
    pprint(out, prefix, "Descriptor");
    String p = prefix + "\t";
    pprint(out, p, "Media Type", d.mediaType() == null ? "" : d.mediaType());
    if (d.artifactType() != null && !d.artifactType().isEmpty()) {
      pprint(out, p, "Artifact Type", d.artifactType());
    }
    pprint(out, p, "Digest", d.digest().toString());
    pprint(out, p, "Size", humanSize(d.size()));
    if (d.platform() != null) {
      // umoci 0.6 prints a descriptor's platform without the descriptor's indentation
      platform(out, "", d.platform());
    }
    if (!d.urls().isEmpty()) {
      slice(out, p, "URLs", d.urls());
    }
    if (!d.annotations().isEmpty()) {
      map(out, p, "Annotations", d.annotations());
    }
    if (d.data() != null && d.data().length > 0) {
      HexDump.pprintBytes(out, p, "Data", d.data());
    }
  }

  /**
   * A stored time as umoci 0.6 shows it: parsed and formatted again with Go's {@code RFC3339Nano}
   * in its own offset; a value that is not RFC 3339 is shown as stored.
   */
  static String goTime(String stored) {
    try {
      return Rfc3339.normalize(stored, "created");
    } catch (dev.umoci.errors.InvalidArgumentException notRfc3339) {
      return stored;
    }
  }

  private static void pprint(StringBuilder out, String prefix, String key, String... values) {
    out.append(prefix).append(key).append(':');
    if (values.length > 0) {
      out.append(' ');
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          out.append(", ");
        }
        String v = values[i];
        out.append(v.contains(",") ? goQuote(v) : quote(v, true));
      }
    }
    out.append('\n');
  }

  private static void slice(StringBuilder out, String prefix, String name, List<String> data) {
    if (data == null || data.isEmpty()) {
      pprint(out, prefix, name, "(empty)");
      return;
    }
    pprint(out, prefix, name);
    for (String line : data) {
      out.append(prefix).append('\t').append(quote(line, true)).append('\n');
    }
  }

  private static void map(StringBuilder out, String prefix, String name, Map<String, String> data) {
    if (data.isEmpty()) {
      pprint(out, prefix, name, "(empty)");
      return;
    }
    pprint(out, prefix, name);
    data.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> pprint(out, prefix + "\t", quote(e.getKey(), true), e.getValue()));
  }

  /** Columns separated like Go's tabwriter(minwidth 4, padding 1). */
  private static void table(StringBuilder out, List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns - 1; i++) {
        width[i] = Math.max(width[i], Math.max(4, row[i].length() + 1));
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(width[i] - row[i].length()));
        }
      }
      out.append(line).append('\n');
    }
  }

  /** Go's strconv.Quote when needed (non-printable, or empty/space-containing when precise). */
  static String quote(String s, boolean precise) {
    String quoted = goQuote(s);
    if (!quoted.equals('"' + s + '"')
        || (precise && (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace)))) {
      return quoted;
    }
    return s;
  }

  private static String goQuote(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                  if (cp < 0x20 || cp == 0x7f) {
                    b.append(String.format("\\x%02x", cp));
                  } else {
                    b.appendCodePoint(cp);
                  }
                }
              }
            });
    return b.append('"').toString();
  }

  /** docker/go-units HumanSize: decimal units, 4 significant digits. */
  static String humanSize(long size) {
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    double value = size;
    int unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    String number =
        new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    return number + units[unit];
  }
}
