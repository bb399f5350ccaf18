package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Says what is wrong with a document databind refused, in the document's terms rather than the
 * engine's Java types: where (the JSON path of the field, else line and column) and what (the
 * value's own complaint, such as an invalid digest, or the kind of value the field takes). Never
 * names a Java class, and never repeats the parser's "Source:" location text.
 */
final class JsonErrors {
  /** The parser's own location texts, which {@link #firstLine} drops. */
  private static final Pattern SOURCE_LOCATION =
      Pattern.compile(
          "\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)|\\s*(at )?\\[Source: [^\\]]*\\]");

  private JsonErrors() {}

  /** The detail after {@code "<what>: malformed JSON: "} for {@code e}. */
  static String describe(JsonProcessingException e) {
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String path = path(m.getPath());
      if (e instanceof ValueInstantiationException && e.getCause() != null) {
        return path + ": " + e.getCause().getMessage();
      }
      if (e instanceof InvalidFormatException f) {
        return path + ": expected " + kind(f.getTargetType()) + ", found " + found(f.getValue());
      }
      if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
        return path + ": expected " + kind(mi.getTargetType()) + at(e.getLocation());
      }
      return path + ": " + firstLine(e.getOriginalMessage()) + at(e.getLocation());
    }
    return firstLine(e.getOriginalMessage()) + at(e.getLocation());
  }

  /** {@code manifests[0].size} from databind's reference chain. */
  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.length() == 0 ? "(document)" : b.toString();
  }

  /** The kind of JSON value a Java type is read from. */
  private static String kind(Class<?> type) {
    if (type == null) {
      return "another value";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (type == String.class || type == Digest.class || type.isEnum()) {
      return "a string";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return "another value";
  }

  private static String found(Object value) {
    return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /**
   * The parser's message without its location texts ({@code (start marker at [Source: ...; line: 1,
   * column: 1])}): the caller adds the location once, in its own words.
   */
  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String line = message.lines().findFirst().orElse("unreadable");
    return SOURCE_LOCATION.matcher(line).replaceAll("").trim();
  }
}
