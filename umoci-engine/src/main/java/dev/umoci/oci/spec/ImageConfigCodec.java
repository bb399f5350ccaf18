package dev.umoci.oci.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link SpecCodec} of the execution parameters, {@link ImageConfig}: every member {@code
 * NON_EMPTY} but {@code ArgsEscaped} ({@code NON_NULL}); the sets as {@link StringSetAsObject}.
 */
final class ImageConfigCodec implements SpecCodec<ImageConfig> {
  static final ImageConfigCodec INSTANCE = new ImageConfigCodec();

  private ImageConfigCodec() {}

  @Override
  public ImageConfig read(JsonParser p) throws IOException {
    String user = null;
    Set<String> exposedPorts = null;
    List<String> env = null;
    List<String> entrypoint = null;
    List<String> cmd = null;
    Set<String> volumes = null;
    String workingDir = null;
    Map<String, String> labels = null;
    String stopSignal = null;
    Boolean argsEscaped = null;
    int seen = 0;
    for (String name = Tokens.nextField(p); name != null; name = Tokens.nextField(p)) {
      switch (name) {
        case "User" -> {
          seen = Tokens.once(seen, 0);
          user = Tokens.string(p);
        }
        case "ExposedPorts" -> {
          seen = Tokens.once(seen, 1);
          exposedPorts = Tokens.stringSet(p);
        }
        case "Env" -> {
          seen = Tokens.once(seen, 2);
          env = Tokens.strings(p);
        }
        case "Entrypoint" -> {
          seen = Tokens.once(seen, 3);
          entrypoint = Tokens.strings(p);
        }
        case "Cmd" -> {
          seen = Tokens.once(seen, 4);
          cmd = Tokens.strings(p);
        }
        case "Volumes" -> {
          seen = Tokens.once(seen, 5);
          volumes = Tokens.stringSet(p);
        }
        case "WorkingDir" -> {
          seen = Tokens.once(seen, 6);
          workingDir = Tokens.string(p);
        }
        case "Labels" -> {
          seen = Tokens.once(seen, 7);
          labels = Tokens.stringMap(p);
        }
        case "StopSignal" -> {
          seen = Tokens.once(seen, 8);
          stopSignal = Tokens.string(p);
        }
        case "ArgsEscaped" -> {
          seen = Tokens.once(seen, 9);
          argsEscaped = Tokens.bool(p);
        }
        default -> p.skipChildren();
      }
    }
    return new ImageConfig(
        user,
        exposedPorts,
        env,
        entrypoint,
        cmd,
        volumes,
        workingDir,
        labels,
        stopSignal,
        argsEscaped);
  }

  @Override
  public void write(JsonGenerator g, ImageConfig v) throws IOException {
    g.writeStartObject();
    Tokens.nonEmpty(g, "User", v.user());
    Tokens.nonEmptySet(g, "ExposedPorts", v.exposedPorts());
    Tokens.nonEmpty(g, "Env", v.env());
    Tokens.nonEmpty(g, "Entrypoint", v.entrypoint());
    Tokens.nonEmpty(g, "Cmd", v.cmd());
    Tokens.nonEmptySet(g, "Volumes", v.volumes());
    Tokens.nonEmpty(g, "WorkingDir", v.workingDir());
    Tokens.nonEmptyMap(g, "Labels", v.labels());
    Tokens.nonEmpty(g, "StopSignal", v.stopSignal());
    if (v.argsEscaped() != null) {
      g.writeFieldName("ArgsEscaped");
      g.writeBoolean(v.argsEscaped());
    }
    g.writeEndObject();
  }
}
