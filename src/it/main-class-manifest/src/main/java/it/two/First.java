package it.two;

public final class First {
  private First() {}

  public static void main(String[] args) {
    System.out.println("first");
  }
}
