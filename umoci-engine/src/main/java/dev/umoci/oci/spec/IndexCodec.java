package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@link SpecCodec} of {@link Index} (and so of {@code index.json}). */
final class IndexCodec implements SpecCodec<Index> {
  static final IndexCodec INSTANCE = new IndexCodec();

  private IndexCodec() {}

  @Override
  public Index read(JsonParser p) throws IOException {
    int schemaVersion = 0;
    String mediaType = null;
    String artifactType = null;
    List<Descriptor> manifests = null;
    Descriptor subject = null;
    Map<String, String> annotations = null;
    int seen = 0;
    for (String name = Tokens.nextField(p); name != null; name = Tokens.nextField(p)) {
      switch (name) {
        case "schemaVersion" -> {
          seen = Tokens.once(seen, 0);
          schemaVersion = Tokens.intValue(p);
        }
        case "mediaType" -> {
          seen = Tokens.once(seen, 1);
          mediaType = Tokens.string(p);
        }
        case "artifactType" -> {
          seen = Tokens.once(seen, 2);
          artifactType = Tokens.string(p);
        }
        case "manifests" -> {
          seen = Tokens.once(seen, 3);
          manifests = Tokens.objects(p, DescriptorCodec.INSTANCE);
        }
        case "subject" -> {
          seen = Tokens.once(seen, 4);
          subject = Tokens.object(p, DescriptorCodec.INSTANCE);
        }
        case "annotations" -> {
          seen = Tokens.once(seen, 5);
          annotations = Tokens.stringMap(p);
        }
        default -> p.skipChildren();
      }
    }
    return new Index(schemaVersion, mediaType, artifactType, manifests, subject, annotations);
  }

  @Override
  public void write(JsonGenerator g, Index v) throws IOException {
    g.writeStartObject();
    g.writeFieldName("schemaVersion");
    g.writeNumber(v.schemaVersion());
    Tokens.nonEmpty(g, "mediaType", v.mediaType());
    Tokens.nonEmpty(g, "artifactType", v.artifactType());
    Tokens.objects(g, "manifests", v.manifests(), DescriptorCodec.INSTANCE);
    Tokens.object(g, "subject", v.subject(), DescriptorCodec.INSTANCE);
    Tokens.nonEmptyMap(g, "annotations", v.annotations());
    g.writeEndObject();
  }
}
