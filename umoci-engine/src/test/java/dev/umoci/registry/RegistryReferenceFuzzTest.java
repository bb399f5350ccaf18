package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.umoci.errors.InvalidArgumentException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for registry image references ({@code [host[:port]/]repo[:tag][@digest]}): {@link
 * Reference#parse} throws only {@link InvalidArgumentException}, and what it accepts prints to a
 * full form that parses to the same reference.
 */
class RegistryReferenceFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void registryReference(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    Reference parsed;
    try {
      parsed = Reference.parse(text);
    } catch (InvalidArgumentException expected) {
      return; // the declared failure
    }
    try {
      assertEquals(parsed, Reference.parse(parsed.toString()), text);
    } catch (InvalidArgumentException e) {
      throw new AssertionError("full form of \"" + text + "\" does not parse: " + parsed, e);
    }
  }
}
