package dev.umoci.oci.casext;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the descriptor graph of a layout. Only blobs the engine can parse (image indexes and
 * manifests, OCI or Docker schema 2) are read and followed; their {@code manifests}, {@code
 * config}, {@code layers} and {@code subject} descriptors are visited. Other blobs (configs,
 * layers, unknown types) are visited but never read, so a walk costs only the JSON blobs. Each
 * digest is visited once.
 */
public final class DescriptorWalk {
  private DescriptorWalk() {}

  /** Receives each descriptor reached. */
  @FunctionalInterface
  public interface Visitor {
    void visit(Descriptor descriptor) throws IOException;
  }

  /** Visits every descriptor reachable from {@code roots}, parents before children. */
  public static void walk(OciLayout layout, List<Descriptor> roots, Visitor visitor)
      throws IOException {
    Deque<Descriptor> todo = new ArrayDeque<>(roots);
    java.util.Set<String> seen = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      Descriptor d = todo.removeFirst();
      if (!seen.add(d.digest() + " " + d.mediaType())) {
        continue;
      }
      visitor.visit(d);
      todo.addAll(children(layout, d));
    }
  }

  /** Every descriptor reachable from the entries of {@code index.json}, keyed by digest. */
  public static Map<String, Descriptor> reachable(OciLayout layout) throws IOException {
    Map<String, Descriptor> out = new LinkedHashMap<>();
    walk(layout, layout.readIndex().manifests(), d -> out.putIfAbsent(d.digest().toString(), d));
    return out;
  }

  /** The descriptors a blob refers to; empty for blobs that are not indexes or manifests. */
  public static List<Descriptor> children(OciLayout layout, Descriptor d) throws IOException {
    List<Descriptor> out = new ArrayList<>();
    if (MediaTypes.isIndex(d.mediaType())) {
      Index index = ImageBlobs.index(layout, d);
      out.addAll(index.manifests());
      addIfPresent(out, index.subject());
    } else if (MediaTypes.isManifest(d.mediaType())) {
      Manifest manifest = ImageBlobs.manifest(layout, d);
      addIfPresent(out, manifest.config());
      out.addAll(manifest.layers());
      addIfPresent(out, manifest.subject());
    }
    for (Descriptor child : out) {
      if (child.digest() == null) {
        throw new InvalidImageException("blob " + d.digest() + " has a descriptor without digest");
      }
    }
    return out;
  }

  private static void addIfPresent(List<Descriptor> out, Descriptor d) {
    if (d != null) {
      out.add(d);
    }
  }
}
