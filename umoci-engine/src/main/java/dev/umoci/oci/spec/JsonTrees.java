package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * {@link JsonNode} trees read from and written to Jackson's tokens without an {@code ObjectMapper},
 * with the nodes databind's tree deserializer makes ({@link JsonNodeFactory#instance}: {@code
 * IntNode}, {@code LongNode} or {@code BigIntegerNode} by the integer's size) and the tokens its
 * node serializers write. What this does not handle as databind would for certain (floating point
 * numbers, repeated names in one object, a root that is not an object or array, binary and POJO
 * nodes) throws {@link UseDatabind}.
 */
final class JsonTrees {
  private JsonTrees() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Reads the value whose first token is current; the root must be an object or an array. */
  static JsonNode readRoot(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
      throw UseDatabind.INSTANCE;
    }
    return read(p);
  }

  private static JsonNode read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw UseDatabind.INSTANCE;
    }
    switch (t) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        for (String name = Tokens.nextField(p); name != null; name = Tokens.nextField(p)) {
          if (object.replace(name, read(p)) != null) {
            throw UseDatabind.INSTANCE;
          }
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(p));
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          case BIG_INTEGER -> NODES.numberNode(p.getBigIntegerValue());
          default -> throw UseDatabind.INSTANCE;
        };
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw UseDatabind.INSTANCE;
    }
  }

  /** Writes {@code node} as databind's node serializers do with the mapper's default features. */
  static void write(JsonGenerator g, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          g.writeFieldName(field.getKey());
          write(g, field.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode element : node) {
          write(g, element);
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(node.textValue());
      case BOOLEAN -> g.writeBoolean(node.booleanValue());
      case NULL -> g.writeNull();
      case NUMBER -> {
        if (node.isInt()) {
          g.writeNumber(node.intValue());
        } else if (node.isLong()) {
          g.writeNumber(node.longValue());
        } else if (node.isBigInteger()) {
          g.writeNumber(node.bigIntegerValue());
        } else {
          throw UseDatabind.INSTANCE;
        }
      }
      default -> throw UseDatabind.INSTANCE;
    }
  }
}
