package dev.umoci.ops;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.umoci.errors.InvalidArgumentException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for {@code --image path[:tag]} and {@code --layout path} values: only {@link
 * InvalidArgumentException} may escape.
 */
class ImageRefFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void imageRef(byte[] data) {
    String value = new String(data, StandardCharsets.UTF_8);
    try {
      ImageRef.parse(value);
    } catch (InvalidArgumentException expected) {
      // the declared failure
    }
    try {
      ImageRef.parseLayout(value);
    } catch (InvalidArgumentException expected) {
      // the declared failure
    }
  }
}
