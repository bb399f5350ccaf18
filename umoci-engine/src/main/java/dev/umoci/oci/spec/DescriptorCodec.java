package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@link SpecCodec} of {@link Descriptor}, in its {@code @JsonPropertyOrder}. */
final class DescriptorCodec implements SpecCodec<Descriptor> {
  static final DescriptorCodec INSTANCE = new DescriptorCodec();

  private DescriptorCodec() {}

  @Override
  public Descriptor read(JsonParser p) throws IOException {
    String mediaType = null;
    Digest digest = null;
    long size = 0;
    List<String> urls = null;
    Map<String, String> annotations = null;
    byte[] data = null;
    Platform platform = null;
    String artifactType = null;
    int seen = 0;
    for (String name = Tokens.nextField(p); name != null; name = Tokens.nextField(p)) {
      switch (name) {
        case "mediaType" -> {
          seen = Tokens.once(seen, 0);
          mediaType = Tokens.string(p);
        }
        case "digest" -> {
          seen = Tokens.once(seen, 1);
          digest = Tokens.digest(p);
        }
        case "size" -> {
          seen = Tokens.once(seen, 2);
          size = Tokens.longValue(p);
        }
        case "urls" -> {
          seen = Tokens.once(seen, 3);
          urls = Tokens.strings(p);
        }
        case "annotations" -> {
          seen = Tokens.once(seen, 4);
          annotations = Tokens.stringMap(p);
        }
        case "data" -> {
          seen = Tokens.once(seen, 5);
          data = Tokens.binary(p);
        }
        case "platform" -> {
          seen = Tokens.once(seen, 6);
          platform = Tokens.object(p, PlatformCodec.INSTANCE);
        }
        case "artifactType" -> {
          seen = Tokens.once(seen, 7);
          artifactType = Tokens.string(p);
        }
        default -> p.skipChildren();
      }
    }
    return new Descriptor(mediaType, digest, size, urls, annotations, data, platform, artifactType);
  }

  @Override
  public void write(JsonGenerator g, Descriptor d) throws IOException {
    g.writeStartObject();
    Tokens.string(g, "mediaType", d.mediaType());
    if (d.digest() != null) {
      g.writeFieldName("digest");
      g.writeString(d.digest().toString());
    }
    g.writeFieldName("size");
    g.writeNumber(d.size());
    Tokens.nonEmpty(g, "urls", d.urls());
    Tokens.nonEmptyMap(g, "annotations", d.annotations());
    if (d.data() != null) {
      g.writeFieldName("data");
      g.writeBinary(d.data());
    }
    Tokens.object(g, "platform", d.platform(), PlatformCodec.INSTANCE);
    Tokens.nonEmpty(g, "artifactType", d.artifactType());
    g.writeEndObject();
  }
}
