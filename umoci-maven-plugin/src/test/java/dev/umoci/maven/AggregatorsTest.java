package dev.umoci.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;

class AggregatorsTest {
  static MavenProject project(String packaging, String... modules) {
    Model model = new Model();
    model.setArtifactId("parent");
    model.setPackaging(packaging);
    model.setModules(List.of(modules));
    return new MavenProject(model);
  }

  @Test
  void onlyAPomWithModulesIsAnAggregator() {
    assertTrue(Aggregators.isAggregator(project("pom", "app", "lib")));
    // a leaf pom builds an image from its base alone
    assertFalse(Aggregators.isAggregator(project("pom")));
    // a jar with modules (unusual, but Maven allows it) has an artifact to put in an image
    assertFalse(Aggregators.isAggregator(project("jar", "app")));
  }

  @Test
  void theSkipLineSaysWhyAndWhatBuilds() {
    assertEquals(
        "Skipping umoci:build: parent is an aggregator (packaging pom with modules); its modules"
            + " that use the plugin build their images (a pom project without <modules> builds one"
            + " of its own)",
        Aggregators.skipping("build", project("pom", "app")));
  }
}
