package dev.umoci.cds;

import java.util.Locale;

/**
 * Which commands a training run covers, named by its one argument ({@code small}, {@code copy} or
 * {@code layers}). {@code bin/umoci} starts the small commands (stat, ls/list, tag, config,
 * rm/remove, init, new, gc, help/--version) from a cache trained by {@link #SMALL} only, so they do
 * not map and link the classes of TLS, the HTTP client, the training registry, Jackson databind and
 * the layer code; {@code copy} from a cache trained by {@link #COPY} only (no layer, bundle or
 * mtree classes); everything else from the cache of {@link #LAYERS}, which holds no registry or TLS
 * classes. The Java 17 archives are split the same way ({@code umoci-small.jsa}, {@code
 * umoci-copy.jsa}, {@code umoci.jsa}).
 */
enum TrainingSet {
  /** The small commands (gc among them) and their error paths: no layer or registry work. */
  SMALL,
  /** {@code copy} alone, both ways, between repositories, on HTTP and HTTPS, and its errors. */
  COPY,
  /**
   * The small commands and the layer commands (unpack, repack, insert, raw): every command but
   * copy.
   */
  LAYERS;

  /** Its name on a command line: {@code small}, {@code copy}, {@code layers}. */
  String argument() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The set named by a training run's one argument.
   *
   * @throws IllegalArgumentException for no argument, more than one or an unknown name
   */
  static TrainingSet fromArguments(String... args) {
    if (args.length == 1) {
      for (TrainingSet set : values()) {
        if (set.argument().equals(args[0])) {
          return set;
        }
      }
    }
    throw new IllegalArgumentException(
        "expected one training set, small, copy or layers, not: " + String.join(" ", args));
  }
}
