package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;

/** {@link SpecCodec} of a descriptor's {@link Platform}. */
final class PlatformCodec implements SpecCodec<Platform> {
  static final PlatformCodec INSTANCE = new PlatformCodec();

  private PlatformCodec() {}

  @Override
  public Platform read(JsonParser p) throws IOException {
    String architecture = null;
    String os = null;
    String osVersion = null;
    List<String> osFeatures = null;
    String variant = null;
    List<String> features = null;
    int seen = 0;
    for (String name = Tokens.nextField(p); name != null; name = Tokens.nextField(p)) {
      switch (name) {
        case "architecture" -> {
          seen = Tokens.once(seen, 0);
          architecture = Tokens.string(p);
        }
        case "os" -> {
          seen = Tokens.once(seen, 1);
          os = Tokens.string(p);
        }
        case "os.version" -> {
          seen = Tokens.once(seen, 2);
          osVersion = Tokens.string(p);
        }
        case "os.features" -> {
          seen = Tokens.once(seen, 3);
          osFeatures = Tokens.strings(p);
        }
        case "variant" -> {
          seen = Tokens.once(seen, 4);
          variant = Tokens.string(p);
        }
        case "features" -> {
          seen = Tokens.once(seen, 5);
          features = Tokens.strings(p);
        }
        default -> p.skipChildren();
      }
    }
    return new Platform(architecture, os, osVersion, osFeatures, variant, features);
  }

  @Override
  public void write(JsonGenerator g, Platform v) throws IOException {
    g.writeStartObject();
    Tokens.string(g, "architecture", v.architecture());
    Tokens.string(g, "os", v.os());
    Tokens.nonEmpty(g, "os.version", v.osVersion());
    Tokens.nonEmpty(g, "os.features", v.osFeatures());
    Tokens.nonEmpty(g, "variant", v.variant());
    Tokens.nonEmpty(g, "features", v.features());
    g.writeEndObject();
  }
}
