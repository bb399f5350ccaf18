package it.multi.app;

public final class Main {
  public static void main(String[] args) {
    System.out.println(it.multi.lib.Greeting.text());
  }
}
