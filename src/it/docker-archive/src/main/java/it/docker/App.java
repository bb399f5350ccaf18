package it.docker;

public final class App {
  private App() {}

  public static void main(String[] args) {
    System.out.println("docker archive");
  }
}
