package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.umoci.errors.InvalidImageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The value shapes the {@link SpecCodec}s share, read and written the way databind reads and writes
 * them with {@link Json#mapper()}'s settings. A reader is called with the value's first token
 * current and leaves its last token current; it accepts the value's plain token kind and JSON null
 * (null, as databind gives for an object-typed property) and throws {@link UseDatabind} for
 * anything else, including null elements and values inside arrays and maps.
 */
final class Tokens {
  private Tokens() {}

  /**
   * The next field name of the object being read, with its value's first token current, or null at
   * the object's end. Callers mark each known name with {@link #once}.
   */
  static String nextField(JsonParser p) throws IOException {
    String name = p.nextFieldName();
    if (name == null && p.currentToken() != JsonToken.END_OBJECT) {
      throw UseDatabind.INSTANCE;
    }
    if (name != null) {
      p.nextToken();
    }
    return name;
  }

  /**
   * Marks known field {@code bit} in the caller's bit set {@code seen}: a repeated name (databind's
   * handling of which depends on the order of the other fields) is left to databind.
   */
  static int once(int seen, int bit) {
    int mask = 1 << bit;
    if ((seen & mask) != 0) {
      throw UseDatabind.INSTANCE;
    }
    return seen | mask;
  }

  static String string(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw UseDatabind.INSTANCE;
  }

  /** An {@code int} property: an integer in range (databind's coercions are its own). */
  static int intValue(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT
        && p.getNumberType() == JsonParser.NumberType.INT) {
      return p.getIntValue();
    }
    throw UseDatabind.INSTANCE;
  }

  /** A {@code long} property: an integer in range. */
  static long longValue(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType type = p.getNumberType();
      if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
        return p.getLongValue();
      }
    }
    throw UseDatabind.INSTANCE;
  }

  static Boolean bool(JsonParser p) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE) {
      return Boolean.TRUE;
    }
    if (t == JsonToken.VALUE_FALSE) {
      return Boolean.FALSE;
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw UseDatabind.INSTANCE;
  }

  /**
   * A {@link Digest} ({@code @JsonValue}/{@code @JsonCreator} text); an invalid one to databind.
   */
  static Digest digest(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw UseDatabind.INSTANCE;
    }
    try {
      return Digest.parse(p.getText());
    } catch (InvalidImageException e) {
      throw UseDatabind.INSTANCE;
    }
  }

  /** {@code byte[]}: base64 text in Jackson's default variant, as databind reads it. */
  static byte[] binary(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getBinaryValue();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw UseDatabind.INSTANCE;
  }

  /** {@code List<String>}: an {@link ArrayList}, as databind makes. */
  static List<String> strings(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      throw UseDatabind.INSTANCE;
    }
    List<String> out = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_STRING) {
        throw UseDatabind.INSTANCE;
      }
      out.add(p.getText());
    }
    return out;
  }

  /** {@code List<Digest>}. */
  static List<Digest> digests(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      throw UseDatabind.INSTANCE;
    }
    List<Digest> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(digest(p));
    }
    return out;
  }

  /** {@code Map<String, String>}: a {@link LinkedHashMap} in document order, as databind makes. */
  static Map<String, String> stringMap(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_OBJECT) {
      throw UseDatabind.INSTANCE;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key = nextField(p); key != null; key = nextField(p)) {
      if (p.currentToken() != JsonToken.VALUE_STRING || out.put(key, p.getText()) != null) {
        throw UseDatabind.INSTANCE;
      }
    }
    return out;
  }

  /**
   * A string set stored as an object of empty objects ({@link StringSetAsObject}): its keys,
   * sorted; the values are skipped, as that deserializer ignores them.
   */
  static Set<String> stringSet(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_OBJECT) {
      throw UseDatabind.INSTANCE;
    }
    Set<String> out = new TreeSet<>();
    for (String key = nextField(p); key != null; key = nextField(p)) {
      out.add(key);
      p.skipChildren();
    }
    return out;
  }

  /** An object-typed property read by {@code codec}. */
  static <T> T object(JsonParser p, SpecCodec<T> codec) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_OBJECT) {
      throw UseDatabind.INSTANCE;
    }
    return codec.read(p);
  }

  /** A list of objects read by {@code codec}. */
  static <T> List<T> objects(JsonParser p, SpecCodec<T> codec) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      throw UseDatabind.INSTANCE;
    }
    List<T> out = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        throw UseDatabind.INSTANCE;
      }
      out.add(codec.read(p));
    }
    return out;
  }

  // writing: the inclusion rules of the records' annotations

  /** A property included when not null (the mapper's default). */
  static void string(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeFieldName(name);
      g.writeString(value);
    }
  }

  /** A property annotated {@code NON_EMPTY}: left out when null or {@code ""}. */
  static void nonEmpty(JsonGenerator g, String name, String value) throws IOException {
    if (value != null && !value.isEmpty()) {
      g.writeFieldName(name);
      g.writeString(value);
    }
  }

  /** A {@code NON_EMPTY} list of strings (null elements as JSON null, as databind writes them). */
  static void nonEmpty(JsonGenerator g, String name, Collection<String> values) throws IOException {
    if (values != null && !values.isEmpty()) {
      g.writeFieldName(name);
      strings(g, values);
    }
  }

  static void strings(JsonGenerator g, Collection<String> values) throws IOException {
    g.writeStartArray();
    for (String value : values) {
      if (value == null) {
        g.writeNull();
      } else {
        g.writeString(value);
      }
    }
    g.writeEndArray();
  }

  /**
   * A {@code NON_EMPTY} string map, its entries ordered by key as {@code ORDER_MAP_ENTRIES_BY_KEYS}
   * orders them (a sorted map as it is, else sorted; a null key is left to databind by the caller's
   * fallback, through the {@link TreeMap}'s exception).
   */
  static void nonEmptyMap(JsonGenerator g, String name, Map<String, String> map)
      throws IOException {
    if (map == null || map.isEmpty()) {
      return;
    }
    g.writeFieldName(name);
    Map<String, String> ordered = map instanceof SortedMap ? map : new TreeMap<>(map);
    g.writeStartObject();
    for (Map.Entry<String, String> e : ordered.entrySet()) {
      g.writeFieldName(e.getKey());
      if (e.getValue() == null) {
        g.writeNull();
      } else {
        g.writeString(e.getValue());
      }
    }
    g.writeEndObject();
  }

  /** A {@code NON_EMPTY} string set as {@link StringSetAsObject.Serializer} writes it. */
  static void nonEmptySet(JsonGenerator g, String name, Set<String> set) throws IOException {
    if (set == null || set.isEmpty()) {
      return;
    }
    g.writeFieldName(name);
    g.writeStartObject();
    for (String key : new TreeSet<>(set)) {
      g.writeFieldName(key);
      g.writeStartObject();
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /** A list of records written by {@code codec} (a null element as JSON null). */
  static <T> void objects(JsonGenerator g, String name, List<T> values, SpecCodec<T> codec)
      throws IOException {
    g.writeFieldName(name);
    g.writeStartArray();
    for (T value : values) {
      if (value == null) {
        g.writeNull();
      } else {
        codec.write(g, value);
      }
    }
    g.writeEndArray();
  }

  /** An object-typed property included when not null. */
  static <T> void object(JsonGenerator g, String name, T value, SpecCodec<T> codec)
      throws IOException {
    if (value != null) {
      g.writeFieldName(name);
      codec.write(g, value);
    }
  }
}
