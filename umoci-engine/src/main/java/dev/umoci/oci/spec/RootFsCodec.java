package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;

/** {@link SpecCodec} of an image config's {@link RootFs}. */
final class RootFsCodec implements SpecCodec<RootFs> {
  static final RootFsCodec INSTANCE = new RootFsCodec();

  private RootFsCodec() {}

  @Override
  public RootFs read(JsonParser p) throws IOException {
    String type = null;
    List<Digest> diffIds = null;
    int seen = 0;
    for (String name = Tokens.nextField(p); name != null; name = Tokens.nextField(p)) {
      switch (name) {
        case "type" -> {
          seen = Tokens.once(seen, 0);
          type = Tokens.string(p);
        }
        case "diff_ids" -> {
          seen = Tokens.once(seen, 1);
          diffIds = Tokens.digests(p);
        }
        default -> p.skipChildren();
      }
    }
    return new RootFs(type, diffIds);
  }

  @Override
  public void write(JsonGenerator g, RootFs v) throws IOException {
    g.writeStartObject();
    Tokens.string(g, "type", v.type());
    g.writeFieldName("diff_ids");
    g.writeStartArray();
    for (Digest d : v.diffIds()) {
      g.writeString(d.toString());
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
