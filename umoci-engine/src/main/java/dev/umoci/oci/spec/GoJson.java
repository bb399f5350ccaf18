package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.Instantiatable;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON bytes exactly as Go's {@code json.Encoder} writes them, for every file umoci writes (blobs,
 * {@code index.json}, {@code oci-layout}, the bundle's files, {@code stat --json}): a trailing
 * newline, HTML-safe escapes ({@code <}, {@code >}, {@code &} as {@code \u003c}...), lowercase hex
 * escapes, and for {@link #encodeIndented} the {@code SetIndent("", "\t")} layout ({@code "key":
 * value}, one element per line, empty containers as {@code []} and {@code {}}). Field order and
 * omission come from the records via {@link Json#mapper()}.
 */
public final class GoJson {
  private GoJson() {}

  private static final GoEscapes ESCAPES = new GoEscapes();

  /** Holder: databind's writers, for types without a codec (see {@link StreamingJson}) only. */
  private static final class Writers {
    static final ObjectWriter COMPACT = Json.mapper().writer().with(ESCAPES);
    static final ObjectWriter INDENTED = COMPACT.with(new TabIndent());
  }

  /** databind's writer of the Go form (without the newline): the codecs' reference, for tests. */
  static ObjectWriter databindWriter(boolean indented) {
    return indented ? Writers.INDENTED : Writers.COMPACT;
  }

  /** {@code json.NewEncoder(w).Encode(value)}: compact JSON and a newline. */
  public static byte[] encode(Object value) {
    byte[] body = StreamingJson.write(value, ESCAPES, null);
    return body != null ? withNewline(body) : write(Writers.COMPACT, value);
  }

  /** {@code enc.SetIndent("", "\t"); enc.Encode(value)}: tab-indented JSON and a newline. */
  public static byte[] encodeIndented(Object value) {
    byte[] body = StreamingJson.write(value, ESCAPES, new TabIndent());
    return body != null ? withNewline(body) : write(Writers.INDENTED, value);
  }

  private static byte[] withNewline(byte[] body) {
    byte[] out = new byte[body.length + 1];
    System.arraycopy(body, 0, out, 0, body.length);
    out[body.length] = '\n';
    return out;
  }

  private static byte[] write(ObjectWriter writer, Object value) {
    try {
      byte[] body = writer.writeValueAsBytes(value);
      byte[] out = new byte[body.length + 1];
      System.arraycopy(body, 0, out, 0, body.length);
      out[body.length] = '\n';
      return out;
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Go's string escaping: HTML-safe, lowercase {@code \\u00xx}, short forms for common controls.
   */
  private static final class GoEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = standardAsciiEscapesForJSON();

    GoEscapes() {
      for (int c = 0; c < 0x20; c++) {
        ascii[c] = ESCAPE_CUSTOM;
      }
      ascii['<'] = ESCAPE_CUSTOM;
      ascii['>'] = ESCAPE_CUSTOM;
      ascii['&'] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      switch (ch) {
        case '\n':
          return new SerializedString("\\n");
        case '\r':
          return new SerializedString("\\r");
        case '\t':
          return new SerializedString("\\t");
        case '\b':
          return new SerializedString("\\b");
        case '\f':
          return new SerializedString("\\f");
        default:
          if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029) {
            return new SerializedString(String.format("\\u%04x", ch));
          }
          return null;
      }
    }
  }

  /** Go's {@code json.Indent} layout with a tab per level. */
  private static final class TabIndent implements PrettyPrinter, Instantiatable<TabIndent> {
    private int depth;

    @Override
    public TabIndent createInstance() {
      return new TabIndent();
    }

    private void newline(JsonGenerator g) throws IOException {
      g.writeRaw('\n');
      for (int i = 0; i < depth; i++) {
        g.writeRaw('\t');
      }
    }

    @Override
    public void writeRootValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw('\n');
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
      g.writeRaw('{');
      depth++;
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
      newline(g);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(',');
      newline(g);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
      depth--;
      if (entries > 0) {
        newline(g);
      }
      g.writeRaw('}');
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
      g.writeRaw('[');
      depth++;
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
      newline(g);
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(',');
      newline(g);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
      depth--;
      if (values > 0) {
        newline(g);
      }
      g.writeRaw(']');
    }
  }
}
