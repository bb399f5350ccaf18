package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * The image-spec encodes string sets (exposed ports, volumes) as objects whose values are empty
 * objects: {@code {"80/tcp":{}}}. These (de)serialisers map them to sorted Java sets.
 */
final class StringSetAsObject {
  private StringSetAsObject() {}

  static final class Serializer extends JsonSerializer<Set<String>> {
    @Override
    public void serialize(Set<String> value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartObject();
      for (String key : new TreeSet<>(value)) {
        gen.writeFieldName(key);
        gen.writeStartObject();
        gen.writeEndObject();
      }
      gen.writeEndObject();
    }

    @Override
    public boolean isEmpty(SerializerProvider provider, Set<String> value) {
      return value == null || value.isEmpty();
    }
  }

  static final class Deserializer extends JsonDeserializer<Set<String>> {
    @Override
    public Set<String> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode node = p.readValueAsTree();
      Set<String> keys = new TreeSet<>();
      if (node != null && node.isObject()) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          keys.add(it.next());
        }
      }
      return keys;
    }
  }
}
