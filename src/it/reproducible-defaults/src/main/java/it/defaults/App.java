package it.defaults;

public final class App {
  private App() {}

  public static void main(String[] args) {
    System.out.println("hello from " + App.class.getName() + " " + String.join(",", args));
  }
}
