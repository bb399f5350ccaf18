package it.times.app;

public final class Main {
  public static void main(String[] args) {
    System.out.println(it.times.lib.Greeting.text());
  }
}
