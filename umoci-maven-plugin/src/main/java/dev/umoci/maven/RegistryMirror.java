package dev.umoci.maven;

import java.util.List;

/**
 * One {@code <mirror>} of {@code <registryMirrors>} (as Jib writes them): the pull-through mirrors
 * a base image of {@link #registry} is pulled through, tried in order before the registry itself.
 */
public class RegistryMirror {
  /** The registry mirrored, such as {@code docker.io}. Required. */
  String registry;

  /**
   * The mirrors, each {@code host[:port]} or {@code host[:port]/path} (an image {@code
   * docker.io/library/x} comes from {@code host/path/library/x}). At least one.
   */
  List<String> mirrors;

  public RegistryMirror() {}

  RegistryMirror(String registry, List<String> mirrors) {
    this.registry = registry;
    this.mirrors = mirrors;
  }
}
