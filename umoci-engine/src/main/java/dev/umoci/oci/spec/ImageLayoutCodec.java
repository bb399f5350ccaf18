package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/** {@link SpecCodec} of the {@code oci-layout} marker, {@link ImageLayout}. */
final class ImageLayoutCodec implements SpecCodec<ImageLayout> {
  static final ImageLayoutCodec INSTANCE = new ImageLayoutCodec();

  private ImageLayoutCodec() {}

  @Override
  public ImageLayout read(JsonParser p) throws IOException {
    String version = null;
    int seen = 0;
    for (String name = Tokens.nextField(p); name != null; name = Tokens.nextField(p)) {
      if (name.equals("imageLayoutVersion")) {
        seen = Tokens.once(seen, 0);
        version = Tokens.string(p);
      } else {
        p.skipChildren();
      }
    }
    return new ImageLayout(version);
  }

  @Override
  public void write(JsonGenerator g, ImageLayout v) throws IOException {
    g.writeStartObject();
    Tokens.string(g, "imageLayoutVersion", v.imageLayoutVersion());
    g.writeEndObject();
  }
}
