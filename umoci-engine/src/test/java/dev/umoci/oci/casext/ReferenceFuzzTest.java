package dev.umoci.oci.casext;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.umoci.errors.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Fuzz target for image reference (tag) names, umoci's refname grammar: {@link
 * ReferenceNames#isValid} answers for any string without throwing and agrees with umoci's regular
 * expression (the oracle, used on names short enough for java.util.regex's recursion), and {@link
 * ReferenceNames#require} throws only {@link InvalidArgumentException}, exactly for invalid names.
 */
class ReferenceFuzzTest {
  /** umoci's refname.go expression. */
  static final Pattern UMOCI =
      Pattern.compile(
          "^([A-Za-z0-9]+(([-._:@+]|--)[A-Za-z0-9]+)*)(/([A-Za-z0-9]+(([-._:@+]|--)[A-Za-z0-9]+)*))*$");

  @FuzzTest(maxDuration = "60s")
  void refname(byte[] data) {
    String name = new String(data, StandardCharsets.UTF_8);
    boolean valid = ReferenceNames.isValid(name);
    if (name.length() < 500) {
      assertEquals(UMOCI.matcher(name).matches(), valid, name);
    }
    try {
      assertEquals(name, ReferenceNames.require(name, "fuzz"));
      assertEquals(true, valid, name);
    } catch (InvalidArgumentException e) {
      assertEquals(false, valid, name);
    }
  }
}
