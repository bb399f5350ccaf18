package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/** {@link SpecCodec} of one {@link History} entry. */
final class HistoryCodec implements SpecCodec<History> {
  static final HistoryCodec INSTANCE = new HistoryCodec();

  private HistoryCodec() {}

  @Override
  public History read(JsonParser p) throws IOException {
    String created = null;
    String createdBy = null;
    String author = null;
    String comment = null;
    Boolean emptyLayer = null;
    int seen = 0;
    for (String name = Tokens.nextField(p); name != null; name = Tokens.nextField(p)) {
      switch (name) {
        case "created" -> {
          seen = Tokens.once(seen, 0);
          created = Tokens.string(p);
        }
        case "created_by" -> {
          seen = Tokens.once(seen, 1);
          createdBy = Tokens.string(p);
        }
        case "author" -> {
          seen = Tokens.once(seen, 2);
          author = Tokens.string(p);
        }
        case "comment" -> {
          seen = Tokens.once(seen, 3);
          comment = Tokens.string(p);
        }
        case "empty_layer" -> {
          seen = Tokens.once(seen, 4);
          emptyLayer = Tokens.bool(p);
        }
        default -> p.skipChildren();
      }
    }
    return new History(created, createdBy, author, comment, emptyLayer);
  }

  @Override
  public void write(JsonGenerator g, History v) throws IOException {
    g.writeStartObject();
    Tokens.nonEmpty(g, "created", v.created());
    Tokens.nonEmpty(g, "created_by", v.createdBy());
    Tokens.nonEmpty(g, "author", v.author());
    Tokens.nonEmpty(g, "comment", v.comment());
    if (v.emptyLayer() != null) {
      g.writeFieldName("empty_layer");
      g.writeBoolean(v.emptyLayer());
    }
    g.writeEndObject();
  }
}
