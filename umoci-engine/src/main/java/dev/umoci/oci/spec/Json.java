package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.umoci.errors.InvalidImageException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one configured ObjectMapper of the engine. Output is compact, fields in spec order, map keys
 * sorted, nulls omitted; unknown input fields are tolerated. Same value in, same bytes out.
 *
 * <p>The spec records and {@link JsonNode} trees go through {@link StreamingJson} first (Jackson's
 * streaming API and hand-written codecs, with the same results), so a command that reads and writes
 * only those never builds the mapper: it is made on first use of {@link #mapper()} or of a type
 * without a codec.
 */
public final class Json {
  private Json() {}

  /** Holder: the mapper is built on first use only. */
  private static final class Databind {
    static final ObjectMapper MAPPER =
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
  }

  public static ObjectMapper mapper() {
    return Databind.MAPPER;
  }

  /**
   * {@code value} as a {@link JsonNode} tree, as {@code mapper().valueToTree(value)} gives it
   * (numbers may be of a narrower node type; they print the same).
   */
  public static JsonNode toTree(Object value) {
    JsonNode tree = StreamingJson.toTree(value);
    return tree != null ? tree : Databind.MAPPER.valueToTree(value);
  }

  /** Compact, deterministic JSON bytes of {@code value}. */
  public static byte[] toBytes(Object value) {
    byte[] fast = StreamingJson.write(value, null, null);
    if (fast != null) {
      return fast;
    }
    try {
      return Databind.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** Indented JSON for humans (stat --json, config.json). */
  public static byte[] toPrettyBytes(Object value) {
    try {
      return Databind.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Parses {@code bytes} as {@code type}; malformed JSON is an {@link InvalidImageException} whose
   * message starts with {@code what} (for example {@code "index.json"} or a blob digest).
   */
  public static <T> T parse(byte[] bytes, Class<T> type, String what) throws InvalidImageException {
    T fast = StreamingJson.parse(bytes, type);
    return fast != null ? fast : databindParse(bytes, type, what);
  }

  /**
   * Parses {@code bytes}, a document that may hold secrets (a credentials file, a token endpoint's
   * answer), as {@code type}: malformed JSON is an {@link InvalidImageException} that says where
   * (line and column), never what it found there, since a parser quotes the token it could not
   * read.
   */
  public static <T> T parseSensitive(byte[] bytes, Class<T> type, String what)
      throws InvalidImageException {
    T value;
    try {
      value = Databind.MAPPER.readValue(bytes, type);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new InvalidImageException(
          what
              + ": malformed JSON"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
    } catch (IOException e) {
      throw new InvalidImageException(what + ": malformed JSON");
    }
    return nonNull(value, what);
  }

  /** {@link #parse} by databind alone: the codecs' reference and fallback. */
  static <T> T databindParse(byte[] bytes, Class<T> type, String what)
      throws InvalidImageException {
    T value;
    try {
      value = Databind.MAPPER.readValue(bytes, type);
    } catch (JsonProcessingException e) {
      throw new InvalidImageException(what + ": malformed JSON: " + JsonErrors.describe(e), e);
    } catch (IOException e) {
      throw new InvalidImageException(what + ": malformed JSON: " + e.getMessage(), e);
    }
    return nonNull(value, what);
  }

  /** {@code value}, unless it is a JSON {@code null} where an object was expected. */
  private static <T> T nonNull(T value, String what) throws InvalidImageException {
    if (value == null) {
      throw new InvalidImageException(what + ": expected a JSON object, found null");
    }
    return value;
  }
}
