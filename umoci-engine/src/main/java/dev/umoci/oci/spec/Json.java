package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
 */
public final class Json {
  private Json() {}

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Compact, deterministic JSON bytes of {@code value}. */
  public static byte[] toBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** Indented JSON for humans (stat --json, config.json). */
  public static byte[] toPrettyBytes(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Parses {@code bytes} as {@code type}; malformed JSON is an {@link InvalidImageException} whose
   * message starts with {@code what} (for example {@code "index.json"} or a blob digest).
   */
  public static <T> T parse(byte[] bytes, Class<T> type, String what) throws InvalidImageException {
    try {
      T value = MAPPER.readValue(bytes, type);
      if (value == null) {
        throw new InvalidImageException(what + ": expected a JSON object, found null");
      }
      return value;
    } catch (IOException e) {
      String detail =
          e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw new InvalidImageException(what + ": malformed JSON: " + detail, e);
    }
  }
}
