package it.multi.lib;

public final class Greeting {
  private Greeting() {}

  public static String text() {
    return "hello from a module";
  }
}
