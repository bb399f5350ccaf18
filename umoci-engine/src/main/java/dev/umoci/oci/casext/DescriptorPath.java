package dev.umoci.oci.casext;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.umoci.oci.spec.Descriptor;
import java.util.List;

/**
 * The chain of descriptors from a top-level {@code index.json} entry down to a target (an image
 * manifest). Serialises as umoci's {@code {"descriptor_walk":[...]}} (the {@code
 * from_descriptor_path} of {@code umoci.json}).
 */
public record DescriptorPath(@JsonProperty("descriptor_walk") List<Descriptor> walk) {
  public DescriptorPath {
    if (walk == null || walk.isEmpty()) {
      throw new IllegalArgumentException("a descriptor path needs at least one descriptor");
    }
    walk = List.copyOf(walk);
  }

  /** A path of one top-level descriptor. */
  public static DescriptorPath of(Descriptor root) {
    return new DescriptorPath(List.of(root));
  }

  /** The top-level index.json entry (it carries the tag annotation). */
  public Descriptor root() {
    return walk.get(0);
  }

  /** The target at the end of the walk. */
  public Descriptor descriptor() {
    return walk.get(walk.size() - 1);
  }
}
