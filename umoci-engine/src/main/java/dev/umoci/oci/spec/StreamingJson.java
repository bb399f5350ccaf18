package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * The fast path of {@link Json} and {@link GoJson}: the spec records through their {@link
 * SpecCodec}s and {@link JsonNode} trees through {@link JsonTrees}, on a plain {@link JsonFactory}
 * with the defaults the mapper's own factory has, so that reading and writing the layout's small
 * documents never builds the {@code ObjectMapper}. Every method returns null where databind is to
 * do the work instead: a type without a codec, or a value or document that is not of the plain
 * shape (see {@link SpecCodec}); malformed JSON is also handed back, so that the error message is
 * databind's, as before.
 */
final class StreamingJson {
  private StreamingJson() {}

  private static final JsonFactory FACTORY = new JsonFactory();

  /** The codec of {@code type}, or null. */
  @SuppressWarnings("unchecked")
  static <T> SpecCodec<T> codec(Class<T> type) {
    SpecCodec<?> codec;
    if (type == Index.class) {
      codec = IndexCodec.INSTANCE;
    } else if (type == Manifest.class) {
      codec = ManifestCodec.INSTANCE;
    } else if (type == Image.class) {
      codec = ImageCodec.INSTANCE;
    } else if (type == Descriptor.class) {
      codec = DescriptorCodec.INSTANCE;
    } else if (type == ImageLayout.class) {
      codec = ImageLayoutCodec.INSTANCE;
    } else if (type == ImageConfig.class) {
      codec = ImageConfigCodec.INSTANCE;
    } else if (type == History.class) {
      codec = HistoryCodec.INSTANCE;
    } else if (type == RootFs.class) {
      codec = RootFsCodec.INSTANCE;
    } else if (type == Platform.class) {
      codec = PlatformCodec.INSTANCE;
    } else {
      codec = null;
    }
    return (SpecCodec<T>) codec;
  }

  /** {@code bytes} parsed as {@code type}, or null for databind to parse them. */
  static <T> T parse(byte[] bytes, Class<T> type) {
    boolean tree = type == JsonNode.class;
    SpecCodec<T> codec = tree ? null : codec(type);
    if (codec == null && !tree) {
      return null;
    }
    try (JsonParser p = FACTORY.createParser(bytes)) {
      p.nextToken();
      if (tree) {
        return type.cast(JsonTrees.readRoot(p));
      }
      return Tokens.object(p, codec);
    } catch (IOException | RuntimeException notPlain) {
      return null;
    }
  }

  /**
   * The JSON bytes of {@code value} (no trailing newline) with the given escapes and pretty printer
   * (each may be null), or null for databind to write them.
   */
  @SuppressWarnings("unchecked")
  static byte[] write(Object value, CharacterEscapes escapes, PrettyPrinter pretty) {
    SpecCodec<Object> codec = value == null ? null : (SpecCodec<Object>) codec(value.getClass());
    if (codec == null && !(value instanceof JsonNode)) {
      return null;
    }
    ByteArrayBuilder out = new ByteArrayBuilder(512);
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      if (escapes != null) {
        g.setCharacterEscapes(escapes);
      }
      if (pretty != null) {
        g.setPrettyPrinter(pretty);
      }
      if (codec != null) {
        codec.write(g, value);
      } else {
        JsonTrees.write(g, (JsonNode) value);
      }
    } catch (IOException | RuntimeException notPlain) {
      return null;
    }
    return out.toByteArray();
  }

  /** {@code value} as a tree (as {@code valueToTree} prints it), or null for databind. */
  static JsonNode toTree(Object value) {
    byte[] bytes = write(value, null, null);
    return bytes == null ? null : parse(bytes, JsonNode.class);
  }
}
