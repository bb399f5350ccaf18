package dev.umoci.oci.spec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.errors.InvalidImageException;

/**
 * Fuzz target for JSON parsing of descriptors, manifests, indexes, configs and the layout marker:
 * only {@link InvalidImageException} may escape, and what parses serialises again.
 */
class JsonFuzzTest {
  private static final Class<?>[] TYPES = {
    Descriptor.class, Manifest.class, Index.class, Image.class, ImageLayout.class, JsonNode.class
  };

  @FuzzTest(maxDuration = "60s")
  void json(FuzzedDataProvider data) {
    Class<?> type = TYPES[data.consumeInt(0, TYPES.length - 1)];
    byte[] bytes = data.consumeRemainingAsBytes();
    try {
      Object value = Json.parse(bytes, type, "fuzz");
      Json.parse(Json.toBytes(value), type, "fuzz again");
    } catch (InvalidImageException expected) {
      // malformed JSON or a value the spec records refuse: the declared failure
    }
  }
}
