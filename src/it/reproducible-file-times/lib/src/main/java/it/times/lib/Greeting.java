package it.times.lib;

public final class Greeting {
  private Greeting() {}

  public static String text() {
    return "hello, times";
  }
}
