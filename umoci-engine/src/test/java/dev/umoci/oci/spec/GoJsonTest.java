package dev.umoci.oci.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoJsonTest {
  private static String compact(Object o) {
    return new String(GoJson.encode(o), StandardCharsets.UTF_8);
  }

  @Test
  void escapesLikeGo() {
    assertEquals(
        "[\"\\u003ca\\u0026b\\u003e\",\"\\u001b\\n\\t\\r\",\"\\u2028\\u2029é\\\"\\\\/\"]\n",
        compact(List.of("<a&b>", "\u001b\n\t\r", "\u2028\u2029é\"\\/")));
  }

  @Test
  void indentedLayoutKeepsEmptyContainersOnOneLine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", List.of());
    m.put("b", Map.of());
    m.put("c", List.of(1, Map.of("d", true)));
    assertEquals(
        "{\n\t\"a\": [],\n\t\"b\": {},\n\t\"c\": [\n\t\t1,\n\t\t{\n\t\t\t\"d\": true\n\t\t}\n\t]\n}\n",
        new String(GoJson.encodeIndented(m), StandardCharsets.UTF_8));
  }
}
