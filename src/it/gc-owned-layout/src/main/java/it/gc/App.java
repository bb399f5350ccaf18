package it.gc;

public final class App {
  private App() {}

  public static void main(String[] args) {
    System.out.println(System.getenv("BUILD"));
  }
}
