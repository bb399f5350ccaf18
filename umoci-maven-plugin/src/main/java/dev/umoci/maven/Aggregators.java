package dev.umoci.maven;

import org.apache.maven.project.MavenProject;

/**
 * Aggregator poms: a parent with {@code <modules>} only builds its modules, so the image goals that
 * a multi-module project configures in the parent's {@code <build><plugins>} run in the modules and
 * skip the parent. A {@code pom}-packaging project without modules is not an aggregator: it builds
 * an image from its base and configuration alone.
 */
final class Aggregators {
  private Aggregators() {}

  /** Whether {@code project} has {@code pom} packaging and at least one module. */
  static boolean isAggregator(MavenProject project) {
    return "pom".equals(project.getPackaging()) && !project.getModules().isEmpty();
  }

  /**
   * The INFO line of {@code goal} skipping the aggregator {@code project}: why, and what builds.
   */
  static String skipping(String goal, MavenProject project) {
    return "Skipping umoci:"
        + goal
        + ": "
        + project.getArtifactId()
        + " is an aggregator (packaging pom with modules); its modules that use the plugin build"
        + " their images (a pom project without <modules> builds one of its own)";
  }
}
