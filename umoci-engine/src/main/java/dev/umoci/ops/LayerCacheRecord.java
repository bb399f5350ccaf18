package dev.umoci.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.GoJson;
import dev.umoci.oci.spec.Json;
import java.io.IOException;

/**
 * The JSON form of a {@link LayerCache} record, {@code {"layer":<descriptor>,"diffId":"<digest>"}}
 * and a newline, read and written through JSON trees and the spec records' streaming codecs only.
 *
 * <p>Why: the record is the first JSON a warm Maven build reads on its critical path, and the only
 * one of its own type; through databind it built Jackson's {@code ObjectMapper} (hundreds of
 * classes, most of a warm build's preparing time, see docs/performance.md), which nothing else of
 * the build needs.
 *
 * <p>Contract: {@link #encode} gives the bytes {@code GoJson.encode(new Recorded(layer, diffId))}
 * gives through databind; {@link #decode} gives what databind reads from such bytes (unknown fields
 * ignored), and null for anything else (a missing or mistyped field, malformed JSON): the layer is
 * then generated again, as for any unusable record. {@code LayerCacheRecordTest} checks both
 * against databind.
 */
final class LayerCacheRecord {
  private LayerCacheRecord() {}

  /** The record of {@code layer} and {@code diffId}. */
  static byte[] encode(Descriptor layer, Digest diffId) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.set("layer", Json.toTree(layer));
    root.put("diffId", diffId.toString());
    return GoJson.encode(root);
  }

  /** The record in {@code bytes}, or null when they do not hold one. */
  static LayerCache.Recorded decode(byte[] bytes, String what) throws IOException {
    JsonNode root = Json.parse(bytes, JsonNode.class, what);
    JsonNode layer = root.get("layer");
    JsonNode diffId = root.get("diffId");
    if (!root.isObject()
        || layer == null
        || !layer.isObject()
        || diffId == null
        || !diffId.isTextual()) {
      return null;
    }
    return new LayerCache.Recorded(
        Json.parse(Json.toBytes(layer), Descriptor.class, what), Digest.parse(diffId.asText()));
  }
}
