package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.ReferenceNames;
import picocli.CommandLine.Option;

/** Mixin: {@code --tag new-tag} (if not given, the --image tag is overwritten). */
public final class TagOption {
  @Option(
      names = "--tag",
      paramLabel = "<new-tag>",
      description = "new tag name (if empty, overwrite --image tag)")
  String tag;

  /** The checked tag, or null when not given. */
  public String tagOrNull() throws InvalidArgumentException {
    return tag == null ? null : ReferenceNames.require(tag, "--tag");
  }
}
