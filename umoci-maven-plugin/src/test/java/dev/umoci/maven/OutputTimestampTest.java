package dev.umoci.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

class OutputTimestampTest {
  @Test
  void acceptsWhatMavenJarPluginAccepts() throws MojoFailureException {
    Instant t = Instant.parse("2024-01-01T00:00:00Z");
    assertEquals(Optional.of(t), OutputTimestamp.parse("2024-01-01T00:00:00Z"));
    assertEquals(Optional.of(t), OutputTimestamp.parse("2024-01-01T01:00:00+01:00"));
    assertEquals(Optional.of(t), OutputTimestamp.parse(Long.toString(t.getEpochSecond())));
  }

  @Test
  void unsetEmptyAndSingleCharacterMeanNotSet() throws MojoFailureException {
    assertEquals(Optional.empty(), OutputTimestamp.parse(null));
    assertEquals(Optional.empty(), OutputTimestamp.parse(""));
    assertEquals(Optional.empty(), OutputTimestamp.parse("a"));
  }

  @Test
  void aSetValueActsAsSourceDateEpoch() throws MojoFailureException {
    var ts = OutputTimestamp.timestamps("1700000000");
    assertEquals(Instant.ofEpochSecond(1700000000), ts.now());
    assertEquals(Optional.of(Instant.ofEpochSecond(1700000000)), ts.sourceDateEpoch());
  }

  @Test
  void badValuesNameTheProperty() {
    MojoFailureException e =
        assertThrows(MojoFailureException.class, () -> OutputTimestamp.parse("yesterday"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "<project.build.outputTimestamp>yesterday</project.build.outputTimestamp>:"),
        e.getMessage());
  }
}
