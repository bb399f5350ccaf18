package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;

/** {@link SpecCodec} of the image config blob, {@link Image}. */
final class ImageCodec implements SpecCodec<Image> {
  static final ImageCodec INSTANCE = new ImageCodec();

  private ImageCodec() {}

  @Override
  public Image read(JsonParser p) throws IOException {
    String created = null;
    String author = null;
    String architecture = null;
    String os = null;
    String osVersion = null;
    List<String> osFeatures = null;
    String variant = null;
    ImageConfig config = null;
    RootFs rootfs = null;
    List<History> history = null;
    int seen = 0;
    for (String name = Tokens.nextField(p); name != null; name = Tokens.nextField(p)) {
      switch (name) {
        case "created" -> {
          seen = Tokens.once(seen, 0);
          created = Tokens.string(p);
        }
        case "author" -> {
          seen = Tokens.once(seen, 1);
          author = Tokens.string(p);
        }
        case "architecture" -> {
          seen = Tokens.once(seen, 2);
          architecture = Tokens.string(p);
        }
        case "os" -> {
          seen = Tokens.once(seen, 3);
          os = Tokens.string(p);
        }
        case "os.version" -> {
          seen = Tokens.once(seen, 4);
          osVersion = Tokens.string(p);
        }
        case "os.features" -> {
          seen = Tokens.once(seen, 5);
          osFeatures = Tokens.strings(p);
        }
        case "variant" -> {
          seen = Tokens.once(seen, 6);
          variant = Tokens.string(p);
        }
        case "config" -> {
          seen = Tokens.once(seen, 7);
          config = Tokens.object(p, ImageConfigCodec.INSTANCE);
        }
        case "rootfs" -> {
          seen = Tokens.once(seen, 8);
          rootfs = Tokens.object(p, RootFsCodec.INSTANCE);
        }
        case "history" -> {
          seen = Tokens.once(seen, 9);
          history = Tokens.objects(p, HistoryCodec.INSTANCE);
        }
        default -> p.skipChildren();
      }
    }
    return new Image(
        created, author, architecture, os, osVersion, osFeatures, variant, config, rootfs, history);
  }

  @Override
  public void write(JsonGenerator g, Image v) throws IOException {
    g.writeStartObject();
    Tokens.nonEmpty(g, "created", v.created());
    Tokens.nonEmpty(g, "author", v.author());
    Tokens.string(g, "architecture", v.architecture());
    Tokens.string(g, "os", v.os());
    Tokens.nonEmpty(g, "os.version", v.osVersion());
    Tokens.nonEmpty(g, "os.features", v.osFeatures());
    Tokens.nonEmpty(g, "variant", v.variant());
    Tokens.object(g, "config", v.config(), ImageConfigCodec.INSTANCE);
    Tokens.object(g, "rootfs", v.rootfs(), RootFsCodec.INSTANCE);
    if (!v.history().isEmpty()) {
      Tokens.objects(g, "history", v.history(), HistoryCodec.INSTANCE);
    }
    g.writeEndObject();
  }
}
