package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpClientWarmUpTest {
  @Test
  void everyShapeConcatenatesAsItsRecipeSays() throws Throwable {
    List<String> made = new ArrayList<>();
    HttpClientWarmUp.concatenate(made);
    assertEquals(List.of("HttpClient-1", "h:5000", "a(b)", "Java-http-client/17", "c(2)"), made);
  }

  @Test
  void runBuildsEveryShapeBeforeJava24AndNoneFrom24() {
    int expected = Runtime.version().feature() >= 24 ? 0 : 5;
    assertEquals(expected, HttpClientWarmUp.run());
  }
}
