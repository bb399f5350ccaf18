package dev.umoci.cds;

import java.util.Locale;

/**
 * Which commands a training run covers, named by its one argument ({@code small} or {@code all};
 * none means {@code all}). {@code bin/umoci} starts the small commands (stat, ls/list, tag, config,
 * rm/remove, init, new, gc, help/--version) from a cache trained by {@link #SMALL} only, so they do
 * not map and link the classes of TLS, the HTTP client, the training registry, Jackson databind and
 * the layer code; everything else starts from the cache of {@link #ALL}. The Java 17 archives are
 * split the same way ({@code umoci-small.jsa} from {@link #SMALL}, {@code umoci.jsa} from {@link
 * #ALL}).
 */
enum TrainingSet {
  /** The small commands (gc among them) and their error paths: no layer or registry work. */
  SMALL,
  /** Every command the build can run: the small ones, the layer commands and copy. */
  ALL;

  /** Its name on a command line: {@code small}, {@code all}. */
  String argument() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The set named by a training run's arguments: none means {@link #ALL}.
   *
   * @throws IllegalArgumentException for more than one argument or an unknown name
   */
  static TrainingSet fromArguments(String... args) {
    if (args.length == 0) {
      return ALL;
    }
    if (args.length == 1) {
      for (TrainingSet set : values()) {
        if (set.argument().equals(args[0])) {
          return set;
        }
      }
    }
    throw new IllegalArgumentException(
        "expected one training set, small or all, not: " + String.join(" ", args));
  }
}
