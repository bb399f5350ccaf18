package dev.umoci.examples.hello;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prints a greeting: the value of {@code GREETING}, or a default. */
public final class Hello {
  private static final Logger LOG = LoggerFactory.getLogger(Hello.class);

  private Hello() {}

  public static void main(String[] args) {
    String greeting = System.getenv().getOrDefault("GREETING", "Hello");
    LOG.debug("greeting chosen");
    System.out.println(greeting + (args.length > 0 ? ", " + String.join(" ", args) : ""));
  }
}
