package dev.umoci.bench.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.base.Joiner;
import java.util.Map;
import org.apache.commons.lang3.StringUtils;

/** Prints a JSON greeting; exists so the image has a main class that uses its dependencies. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String who = StringUtils.defaultIfBlank(Joiner.on(' ').join(args), "world");
    System.out.println(new ObjectMapper().writeValueAsString(Map.of("hello", who)));
  }
}
